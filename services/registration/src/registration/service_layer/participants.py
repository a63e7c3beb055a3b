"""People and households: register, read, flag possible duplicates (corrections: corrections.py)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal, in_area
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import Conflict, InvalidInput, NotFound
from berdaya_shared.gazetteer import Gazetteer

from ..adapters.tables import DuplicateFlag, Household, Participant
from ..domain.dedup import PersonKey, find_similar
from ..domain.importing import PersonInput, RowError, parse_row
from ..messaging import outgoing

HOUSEHOLD_FIELDS = ("kk_number", "address", "rt", "rw", "kelurahan_code", "dtks_listed")
PERSON_FIELDS = ("nik", "full_name", "birth_date", "gender", "phone", "pkk_cadre",
                 "baseline_business", "baseline_monthly_income")
SECRET_FIELDS = {"nik", "kk_number"}


def _as_text(body: dict[str, Any]) -> dict[str, str]:
    return {k: ("ya" if v is True else "tidak" if v is False else str(v))
            for k, v in body.items() if v is not None}


def problems_of(errors: list[RowError]) -> InvalidInput:
    """A person's row errors as one 422: Bahasa reasons, the English ones in ``en``."""
    listed = [{"field": e.field, "message": e.reason} for e in errors]
    return InvalidInput("; ".join(f"{e.field}: {e.reason}" for e in errors),
                        en="; ".join(f"{e.field}: {e.reason_en}" for e in errors),
                        field=listed[0]["field"], errors=listed)


def clean(body: dict[str, Any], gazetteer: Gazetteer) -> PersonInput:
    """Validate a person exactly as a bulk-import row is validated (one set of rules)."""
    person, errors = parse_row(0, _as_text(body), gazetteer)
    if person is None:
        raise problems_of(errors)
    return person


NIK_TAKEN = ("Orang dengan NIK ini sudah terdaftar.", "A person with this NIK is already registered.")


def in_area_or_404(principal: Principal, person: Participant | None) -> Participant:
    if person is None or not principal.covers(person.kelurahan_code):
        raise NotFound("Peserta ini tidak ada di wilayah Anda.",
                       en="No such participant in your area.", field="participant_id")
    return person


def get(*, session: Session, principal: Principal, participant_id: str) -> Participant:
    return in_area_or_404(principal, session.get(Participant, participant_id))


def by_nik(session: Session, nik: str) -> Participant | None:
    return session.exec(select(Participant).where(col(Participant.nik) == nik)).first()


def register(*, session: Session, principal: Principal, person: PersonInput, threshold: float,
             source: str) -> tuple[Participant, list[DuplicateFlag]]:
    principal.ensure_covers(person.kelurahan_code, hide=False)
    existing = by_nik(session, person.nik)
    if existing is not None:
        raise Conflict(NIK_TAKEN[0], en=NIK_TAKEN[1], field="nik",
                       participant_id=existing.id if principal.covers(existing.kelurahan_code)
                       else None)
    household = _household_of(session, person)
    now = datetime.now(UTC)
    participant = Participant(household_id=household.id, kelurahan_code=household.kelurahan_code,
                              created_by=principal.subject, created_at=now, updated_at=now,
                              **{f: getattr(person, f) for f in PERSON_FIELDS})
    # The same NIK registered twice at once: both pass the check above, the constraint stops one.
    with conflict_on_duplicate(session, field="nik", detail=NIK_TAKEN[0], en=NIK_TAKEN[1]):
        session.add(participant)
    flags = _flag_similar(session, participant, threshold)
    outgoing.participant_registered(session, participant, household, source=source)
    return participant, flags


def _household_of(session: Session, person: PersonInput) -> Household:
    """The household of the person's KK, created when new, else locked (a correction moving it
    waits, and the new member lands at the household's current address)."""
    household = session.exec(select(Household).where(
        col(Household.kk_number) == person.kk_number)).first()
    if household is None:
        household = Household(**{f: getattr(person, f) for f in HOUSEHOLD_FIELDS})
        try:
            with session.begin_nested():
                session.add(household)
            return household
        except IntegrityError:  # another request registered this KK a moment ago: join it
            household = session.exec(select(Household).where(
                col(Household.kk_number) == person.kk_number)).one()
    household = get_for_update(session, Household, household.id)
    assert household is not None
    if household.kelurahan_code != person.kelurahan_code:
        # One KK, one address: the person would land in the household's kelurahan, which may
        # not even be the officer's. The household's address is corrected first.
        raise Conflict("KK ini terdaftar di alamat pada kelurahan lain; perbaiki dulu alamat "
                       "rumah tangganya.",
                       en="This KK is registered at an address in another kelurahan; correct the "
                          "household's address first.", field="kk_number")
    return household


def _flag_similar(session: Session, person: Participant, threshold: float) -> list[DuplicateFlag]:
    same_day_and_place = session.exec(select(Participant).where(
        col(Participant.birth_date) == person.birth_date,
        col(Participant.kelurahan_code) == person.kelurahan_code,
        col(Participant.id) != person.id)).all()
    keys = [PersonKey(p.id, p.full_name, p.birth_date, p.kelurahan_code) for p in same_day_and_place]
    me = PersonKey(person.id, person.full_name, person.birth_date, person.kelurahan_code)
    flags = [DuplicateFlag(participant_id=person.id, candidate_id=key.id, score=round(score, 1),
                           kelurahan_code=person.kelurahan_code, created_at=datetime.now(UTC))
             for key, score in find_similar(me, keys, threshold=threshold)]
    session.add_all(flags)
    session.flush()
    return flags


def scoped(column: Any, principal: Principal) -> Any:
    return in_area(column, principal.area)
