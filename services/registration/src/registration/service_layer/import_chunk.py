"""One chunk of an import, written with bulk statements in the caller's transaction.

The rules are those of the one-person paths (participants.register, applications.submit and
verify), applied to a chunk at once: a few SELECTs for the whole chunk (people by NIK,
households by KK, existing applications, confirmed duplicates, duplicate candidates by birth
date and kelurahan, the waiting lines) and one multi-row INSERT per table (households, people,
duplicate flags, applications, outbox). Every check is made before anything is written, so a
row that fails (e.g. a KK registered in another kelurahan) leaves nothing behind.

Locks, in the order of seats.py: the households joined (``FOR UPDATE``, id order), then the
programme's seat counters (seats.py's own locking: the total and every kelurahan of the chunk,
scope order). Seats are then taken in row order, as one verification after another would.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, tuple_
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import is_sqlite, new_id
from berdaya_shared.errors import ProblemError
from berdaya_shared.events import EventPayload, new_event
from berdaya_shared.events import registration as contracts
from berdaya_shared.events.registration import area_codes
from berdaya_shared.outbox import notify_relay

from ..adapters.tables import (
    Application,
    DuplicateFlag,
    Household,
    Participant,
    Programme,
    metadata,
    outbox,
)
from ..domain.dedup import PersonKey, find_similar
from ..domain.eligibility import ApplicantFacts, evaluate
from ..domain.importing import Outcome, PersonInput, RowError, reasons_of
from ..domain.status import ApplicationStatus, DuplicateStatus
from . import seats

S = ApplicationStatus


@dataclass(frozen=True)
class ImportContext:
    """What every chunk of one import shares."""

    principal: Principal
    programme: Programme | None
    track: str | None
    verify: bool
    today: date
    threshold: float
    source: str


@dataclass(frozen=True)
class ValidRow:
    row: int
    person: PersonInput


@dataclass
class _Person:
    """The person a row is about: registered before, or new in this chunk."""

    id: str
    full_name: str
    birth_date: date
    gender: str
    phone: str | None
    kelurahan_code: str
    pkk_cadre: bool
    dtks_listed: bool
    baseline_business: str | None
    baseline_monthly_income: int | None


@dataclass(frozen=True)
class _Home:
    """A household a row's person joins: registered before, or new in this chunk."""

    id: str
    kelurahan_code: str
    dtks_listed: bool


@dataclass
class _Writes:
    households: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    applications: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


def _table(name: str) -> Table:
    return metadata.tables[name]


def _locking(session: Session) -> bool:
    return not is_sqlite(session.get_bind())


def write_chunk(session: Session, ctx: ImportContext,
                rows: list[ValidRow]) -> dict[int, Outcome | RowError]:
    """Store the chunk's rows; returns each row's outcome or the reason it was not stored."""
    results: dict[int, Outcome | RowError] = {}
    now = datetime.now(UTC)
    writes = _Writes()
    known = _people_by_nik(session, [r.person.nik for r in rows])
    households = _households_by_kk(session, [r.person.kk_number for r in rows
                                             if r.person.nik not in known])
    people: dict[int, tuple[_Person, bool]] = {}  # row -> (person, registered now)
    refused = _programme_refuses(ctx, ctx.programme) if ctx.programme is not None else None
    for item in rows:
        decided = _person_of(ctx, item, known, households, refused, writes, now)
        if isinstance(decided, RowError):
            results[item.row] = decided
        else:
            people[item.row] = decided
    _flag_similar(session, ctx, [p for p, new in people.values() if new], writes, now)
    if ctx.programme is None:
        results.update({row: Outcome.REGISTERED if new else Outcome.ALREADY_REGISTERED
                        for row, (_, new) in people.items()})
    else:
        results.update(_apply(session, ctx, ctx.programme, people, writes, now))
    _insert(session, Household, writes.households)
    _insert(session, Participant, writes.people)
    _insert(session, DuplicateFlag, writes.flags)
    _insert(session, Application, writes.applications)
    if writes.events:
        session.execute(insert(outbox), writes.events)
        notify_relay(session, outbox)  # bulk rows skip enqueue: wake the relay at commit
    return results


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(_table(model.__tablename__)), rows)


# -- who each row is about --------------------------------------------------------------------

def _people_by_nik(session: Session, niks: list[str]) -> dict[str, _Person]:
    found = session.exec(select(Participant, Household.dtks_listed)
                         .join(Household, col(Household.id) == col(Participant.household_id))
                         .where(col(Participant.nik).in_(niks))).all()
    return {p.nik: _Person(p.id, p.full_name, p.birth_date, p.gender, p.phone, p.kelurahan_code,
                           p.pkk_cadre, dtks, p.baseline_business, p.baseline_monthly_income)
            for p, dtks in found}


def _households_by_kk(session: Session, kks: list[str]) -> dict[str, _Home]:
    """Households the chunk's new people join, locked (a correction moving one waits)."""
    if not kks:
        return {}
    query = (select(Household).where(col(Household.kk_number).in_(sorted(set(kks))))
             .order_by(col(Household.id)).execution_options(populate_existing=True))
    if _locking(session):
        query = query.with_for_update()
    return {h.kk_number: _Home(h.id, h.kelurahan_code, h.dtks_listed)
            for h in session.exec(query).all()}


def _person_of(ctx: ImportContext, item: ValidRow, known: dict[str, _Person],
               households: dict[str, _Home], refused: tuple[str, str, str] | None,
               writes: _Writes, now: datetime) -> tuple[_Person, bool] | RowError:
    """The row's person, registered before or now; nothing is written for a row that fails
    (``refused``: why no one can apply to the programme today, so no one is registered)."""
    person = item.person
    existing = known.get(person.nik)
    if existing is not None:
        if not ctx.principal.covers(existing.kelurahan_code):
            return RowError(item.row, "nik", "Orang dengan NIK ini terdaftar di wilayah lain.",
                            "A person with this NIK is registered in another area.")
        return existing, False
    try:
        ctx.principal.ensure_covers(person.kelurahan_code, hide=False)
    except ProblemError as exc:
        return RowError(item.row, exc.field or "area", *reasons_of(exc))
    household = households.get(person.kk_number)
    if household is not None and household.kelurahan_code != person.kelurahan_code:
        return RowError(item.row, "kk_number",
                        "KK ini terdaftar di alamat pada kelurahan lain; perbaiki dulu alamat "
                        "rumah tangganya.",
                        "This KK is registered at an address in another kelurahan; correct the "
                        "household's address first.")
    if refused is not None:
        return RowError(item.row, *refused)
    if household is None:
        household = _Home(new_id(), person.kelurahan_code, person.dtks_listed)
        households[person.kk_number] = household
        writes.households.append({
            "id": household.id, "kk_number": person.kk_number, "address": person.address,
            "rt": person.rt, "rw": person.rw, "kelurahan_code": person.kelurahan_code,
            "dtks_listed": person.dtks_listed})
    new = _Person(new_id(), person.full_name, person.birth_date, person.gender, person.phone,
                  household.kelurahan_code, person.pkk_cadre, household.dtks_listed,
                  person.baseline_business, person.baseline_monthly_income)
    known[person.nik] = new  # the same NIK later in the chunk is refused before it gets here
    writes.people.append({
        "id": new.id, "nik": person.nik, "household_id": household.id, "full_name": new.full_name,
        "birth_date": new.birth_date, "gender": new.gender, "phone": new.phone,
        "kelurahan_code": new.kelurahan_code, "pkk_cadre": new.pkk_cadre,
        "baseline_business": new.baseline_business,
        "baseline_monthly_income": new.baseline_monthly_income,
        "created_by": ctx.principal.subject, "created_at": now, "updated_at": now})
    _emit(writes, ctx, new.id, contracts.ParticipantRegistered(
        participant_id=new.id, gender=new.gender, birth_year=new.birth_date.year,
        dtks_listed=new.dtks_listed, pkk_cadre=new.pkk_cadre, registered_at=now,
        **area_codes(new.kelurahan_code)))
    return new, True


def _flag_similar(session: Session, ctx: ImportContext, new_people: list[_Person],
                  writes: _Writes, now: datetime) -> None:
    """Possible duplicates of each new person: people registered before with the same birth
    date and kelurahan (one SELECT for the chunk), and those earlier in this chunk."""
    if not new_people:
        return
    candidates: dict[tuple[date, str], list[PersonKey]] = defaultdict(list)
    for pid, name, born, kelurahan in _same_day_and_place(
            session, sorted({(p.birth_date, p.kelurahan_code) for p in new_people})):
        candidates[(born, kelurahan)].append(PersonKey(pid, name, born, kelurahan))
    for person in new_people:
        me = PersonKey(person.id, person.full_name, person.birth_date, person.kelurahan_code)
        same = candidates[(person.birth_date, person.kelurahan_code)]
        for key, score in find_similar(me, same, threshold=ctx.threshold):
            writes.flags.append({
                "id": new_id(), "participant_id": person.id, "candidate_id": key.id,
                "kelurahan_code": person.kelurahan_code, "score": round(score, 1),
                "status": DuplicateStatus.OPEN, "reviewed_by": None, "reviewed_at": None,
                "created_at": now})
        same.append(me)


def _same_day_and_place(session: Session,
                        pairs: list[tuple[date, str]]) -> Iterable[tuple[str, str, date, str]]:
    """People born on one of these days in that kelurahan, through ix_participant_dedup.

    PostgreSQL searches the index for a row-value IN; SQLite would scan the table for one, so
    there the index is searched by day (its first column) and the pairs are picked here."""
    columns = (col(Participant.id), col(Participant.full_name), col(Participant.birth_date),
               col(Participant.kelurahan_code))
    if _locking(session):
        yield from session.exec(select(*columns).where(
            tuple_(col(Participant.birth_date), col(Participant.kelurahan_code)).in_(pairs)))
        return
    wanted = set(pairs)
    for found in session.exec(select(*columns).where(
            col(Participant.birth_date).in_(sorted({born for born, _ in pairs})))):
        if (found[2], found[3]) in wanted:
            yield found


# -- applications and seats -------------------------------------------------------------------

def _apply(session: Session, ctx: ImportContext, programme: Programme,
           people: dict[int, tuple[_Person, bool]], writes: _Writes,
           now: datetime) -> dict[int, Outcome | RowError]:
    results: dict[int, Outcome | RowError] = {}
    refused = _programme_refuses(ctx, programme)
    old_ids = [p.id for p, new in people.values() if not new]
    applied = set(session.exec(select(Application.participant_id).where(
        col(Application.programme_id) == programme.id,
        col(Application.participant_id).in_(old_ids))).all()) if old_ids else set()
    duplicates = dict(session.exec(select(DuplicateFlag.participant_id, DuplicateFlag.candidate_id)
                                   .where(col(DuplicateFlag.participant_id).in_(old_ids),
                                          col(DuplicateFlag.status) == DuplicateStatus.DUPLICATE)
                                   ).all()) if old_ids else {}
    to_seat: list[tuple[int, dict[str, Any], _Person]] = []
    for row, (person, _) in people.items():
        if person.id in applied:
            results[row] = Outcome.ALREADY_APPLIED
            continue
        if refused is not None:
            results[row] = RowError(row, refused[0], refused[1], refused[2])
            continue
        if person.id in duplicates:
            results[row] = RowError(
                row, "participant_id", "Petugas telah mengonfirmasi data ini sebagai duplikat "
                "orang lain; ajukan permohonan dengan data aslinya.",
                "An officer confirmed this record as a duplicate of another person; apply with "
                "the original record.")
            continue
        app: dict[str, Any] = {
            "id": new_id(), "programme_id": programme.id, "participant_id": person.id,
            "track": ctx.track, "kelurahan_code": person.kelurahan_code,
            "full_name": person.full_name, "status": S.APPLIED, "reasons": [],
            "submitted_by": ctx.principal.subject, "submitted_at": now, "verified_by": None,
            "verified_at": None, "enrolled_at": None, "waitlisted_at": None, "decided_at": None,
            "withdrawn_at": None, "seat_kelurahan_code": None}
        writes.applications.append(app)
        applied.add(person.id)
        _emit(writes, ctx, person.id, contracts.ApplicationSubmitted(
            application_id=app["id"], participant_id=person.id, programme_id=programme.id,
            programme_code=programme.code, track=ctx.track, submitted_at=now,
            **area_codes(person.kelurahan_code)))
        if not ctx.verify:
            results[row] = Outcome.APPLIED
            continue
        app["verified_by"], app["verified_at"] = ctx.principal.subject, now
        failures = evaluate(programme.eligibility_rules, ApplicantFacts(
            birth_date=person.birth_date, gender=person.gender,
            kelurahan_code=person.kelurahan_code, dtks_listed=person.dtks_listed,
            pkk_cadre=person.pkk_cadre), on=ctx.today)
        if failures:
            app["status"], app["reasons"], app["decided_at"] = (
                S.REJECTED, [f.reason for f in failures], now)
            _emit(writes, ctx, person.id, contracts.ApplicationRejected(
                application_id=app["id"], participant_id=person.id, programme_id=programme.id,
                reasons=app["reasons"], rejected_at=now, **area_codes(person.kelurahan_code)))
            results[row] = Outcome.REJECTED
            continue
        to_seat.append((row, app, person))
    if to_seat:
        results.update(_seat(session, ctx, programme, to_seat, writes))
    return results


def _programme_refuses(ctx: ImportContext, programme: Programme) -> tuple[str, str, str] | None:
    """Why no row can apply to the programme today (field, Bahasa, English), or None."""
    if not programme.intake_opens_on <= ctx.today <= programme.intake_closes_on:
        window = f"{programme.intake_opens_on} s.d. {programme.intake_closes_on}"
        return ("programme_id", f"Masa pendaftaran {programme.code} berlangsung {window}.",
                f"The intake of {programme.code} runs {window.replace('s.d.', 'to')}.")
    if programme.tracks and ctx.track not in programme.tracks:
        tracks = ", ".join(programme.tracks)
        return ("track", f"Pilih salah satu jalur pelatihan: {tracks}.",
                f"Choose one of the tracks: {tracks}.")
    return None


def _seat(session: Session, ctx: ImportContext, programme: Programme,
          to_seat: list[tuple[int, dict[str, Any], _Person]],
          writes: _Writes) -> dict[int, Outcome | RowError]:
    """Enrol or waitlist verified applications in row order, holding the counters' locks."""
    # seats.py's own locking: the total and each kelurahan with a quota, in scope order.
    counters = seats.lock_counters(session, programme, *sorted({a["kelurahan_code"]
                                                            for _, a, _ in to_seat}))
    waiting = _waiting_lines(session, programme)
    results: dict[int, Outcome | RowError] = {}
    decided_at = datetime.now(UTC)  # under the seat lock: queue order = order of decisions
    for tick, (row, app, person) in enumerate(to_seat):
        at = decided_at + timedelta(microseconds=tick)  # keeps the file's order in the line
        kelurahan = app["kelurahan_code"]
        mine = [c for scope, c in counters.items() if scope in (seats.TOTAL, kelurahan)]
        if all(c.taken < c.capacity for c in mine):
            for counter in mine:
                counter.taken += 1
            app.update(status=S.ENROLLED, enrolled_at=at, decided_at=at,
                       seat_kelurahan_code=kelurahan)
            _emit(writes, ctx, person.id, contracts.ParticipantEnrolled(
                application_id=app["id"], participant_id=person.id, programme_id=programme.id,
                programme_code=programme.code, programme_name=programme.name, track=app["track"],
                full_name=person.full_name, phone=person.phone, gender=person.gender,
                baseline_business=person.baseline_business,
                baseline_monthly_income=person.baseline_monthly_income, enrolled_at=at,
                **area_codes(kelurahan)))
            results[row] = Outcome.ENROLLED
            continue
        line = kelurahan if seats.kelurahan_capacity(programme, kelurahan) is not None else None
        waiting[line] += 1
        if line is not None:
            waiting[None] += 1  # the programme's whole line counts everyone waiting
        position = waiting[line]
        app.update(status=S.WAITLISTED, waitlisted_at=at, decided_at=at)
        _emit(writes, ctx, person.id, contracts.ParticipantWaitlisted(
            application_id=app["id"], participant_id=person.id, programme_id=programme.id,
            position=position, waitlisted_at=at, **area_codes(kelurahan)))
        results[row] = Outcome.WAITLISTED
    session.add_all(counters.values())
    session.flush()
    return results


def _waiting_lines(session: Session, programme: Programme) -> Counter[str | None]:
    """How many wait in each kelurahan's line, and (key None) in the programme's whole line."""
    lines: Counter[str | None] = Counter()
    for kelurahan, count in session.exec(
            select(Application.kelurahan_code, func.count())
            .where(col(Application.programme_id) == programme.id,
                   col(Application.status) == S.WAITLISTED)
            .group_by(col(Application.kelurahan_code))).all():
        lines[kelurahan] += count
        lines[None] += count
    return lines


# -- events -----------------------------------------------------------------------------------

def _emit(writes: _Writes, ctx: ImportContext, participant_id: str, payload: EventPayload) -> None:
    """An outbox row, as ``berdaya_shared.outbox.enqueue`` writes it (inserted with the chunk)."""
    envelope = new_event(payload, subject=participant_id, source=ctx.source)
    writes.events.append({"event_id": envelope.id, "topic": envelope.topic,
                          "key": envelope.subject, "event_type": envelope.type,
                          "body": envelope.model_dump_json(), "created_at": datetime.now(UTC)})


def outcome_counts(results: Iterable[Outcome | RowError]) -> Counter[str]:
    return Counter(r.value for r in results if isinstance(r, Outcome))
