"""People and households: register, correct with an audit trail, read, flag duplicates."""

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal, in_area
from berdaya_shared.errors import Conflict, InvalidInput, NotFound

from ..adapters.tables import Correction, DuplicateFlag, Household, Participant
from ..domain.dedup import PersonKey, find_similar
from ..domain.gazetteer import Gazetteer
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
    listed = [{"field": e.field, "message": e.reason} for e in errors]
    return InvalidInput("; ".join(f"{e['field']}: {e['message']}" for e in listed),
                        field=listed[0]["field"], errors=listed)


def clean(body: dict[str, Any], gazetteer: Gazetteer) -> PersonInput:
    """Validate a person exactly as a bulk-import row is validated (one set of rules)."""
    person, errors = parse_row(0, _as_text(body), gazetteer)
    if person is None:
        raise problems_of(errors)
    return person


def get(*, session: Session, principal: Principal, participant_id: str) -> Participant:
    person = session.get(Participant, participant_id)
    if person is None or not principal.covers(person.kelurahan_code):
        raise NotFound("No such participant in your area.", field="participant_id")
    return person


def by_nik(session: Session, nik: str) -> Participant | None:
    return session.exec(select(Participant).where(Participant.nik == nik)).first()


def register(*, session: Session, principal: Principal, person: PersonInput, threshold: float,
             source: str) -> tuple[Participant, list[DuplicateFlag]]:
    principal.ensure_covers(person.kelurahan_code, hide=False)
    existing = by_nik(session, person.nik)
    if existing is not None:
        raise Conflict("A person with this NIK is already registered.", field="nik",
                       participant_id=existing.id if principal.covers(existing.kelurahan_code)
                       else None)
    household = session.exec(select(Household).where(Household.kk_number == person.kk_number)).first()
    if household is not None and household.kelurahan_code != person.kelurahan_code:
        # One KK, one address: the person would land in the household's kelurahan, which may
        # not even be the officer's. The household's address is corrected first.
        raise Conflict("This KK is registered at an address in another kelurahan; correct the "
                       "household's address first.", field="kk_number")
    if household is None:
        household = Household(**{f: getattr(person, f) for f in HOUSEHOLD_FIELDS})
        session.add(household)
        session.flush()
    now = datetime.now(UTC)
    participant = Participant(household_id=household.id, kelurahan_code=household.kelurahan_code,
                              created_by=principal.subject, created_at=now, updated_at=now,
                              **{f: getattr(person, f) for f in PERSON_FIELDS})
    session.add(participant)
    session.flush()
    flags = _flag_similar(session, participant, threshold)
    outgoing.participant_registered(session, participant, household, source=source)
    return participant, flags


def _flag_similar(session: Session, person: Participant, threshold: float) -> list[DuplicateFlag]:
    same_day_and_place = session.exec(select(Participant).where(
        Participant.birth_date == person.birth_date,
        Participant.kelurahan_code == person.kelurahan_code, Participant.id != person.id)).all()
    keys = [PersonKey(p.id, p.full_name, p.birth_date, p.kelurahan_code) for p in same_day_and_place]
    me = PersonKey(person.id, person.full_name, person.birth_date, person.kelurahan_code)
    flags = [DuplicateFlag(participant_id=person.id, candidate_id=key.id, score=round(score, 1),
                           kelurahan_code=person.kelurahan_code, created_at=datetime.now(UTC))
             for key, score in find_similar(me, keys, threshold=threshold)]
    session.add_all(flags)
    session.flush()
    return flags


def correct(*, session: Session, principal: Principal, gazetteer: Gazetteer, participant_id: str,
            changes: dict[str, Any], source: str) -> Participant:
    """Apply corrections, keeping who/when/old -> new for each changed field."""
    person = get(session=session, principal=principal, participant_id=participant_id)
    household = session.get(Household, person.household_id)
    assert household is not None
    current = {**{f: getattr(household, f) for f in HOUSEHOLD_FIELDS},
               **{f: getattr(person, f) for f in PERSON_FIELDS}}
    cleaned = asdict(clean({**current, **changes}, gazetteer))
    principal.ensure_covers(cleaned["kelurahan_code"], hide=False)
    changed = [f for f in (*PERSON_FIELDS, *HOUSEHOLD_FIELDS) if cleaned[f] != current[f]]
    if not changed:
        return person
    if "nik" in changed and (other := by_nik(session, cleaned["nik"])) and other.id != person.id:
        raise Conflict("A person with this NIK is already registered.", field="nik")
    if "kk_number" in changed and session.exec(select(Household).where(
            Household.kk_number == cleaned["kk_number"], Household.id != household.id)).first():
        raise Conflict("This KK belongs to another household.", field="kk_number")
    now = datetime.now(UTC)
    for field in changed:
        target = household if field in HOUSEHOLD_FIELDS else person
        setattr(target, field, cleaned[field])
    _audit_changes(session, principal, person, changed, current, cleaned, now)
    person.kelurahan_code, person.updated_at = household.kelurahan_code, now
    session.add_all([person, household])
    session.flush()
    outgoing.participant_updated(session, person, changed, source=source)
    household_changed = [f for f in changed if f in HOUSEHOLD_FIELDS]
    if household_changed:  # the address, KK and DTKS status are the whole family's
        for member in session.exec(select(Participant).where(
                Participant.household_id == household.id, Participant.id != person.id)).all():
            _audit_changes(session, principal, member, household_changed, current, cleaned, now)
            member.kelurahan_code, member.updated_at = household.kelurahan_code, now
            session.add(member)
            session.flush()
            outgoing.participant_updated(session, member, household_changed, source=source)
    return person


def _audit_changes(session: Session, principal: Principal, person: Participant, fields: list[str],
                   old: dict[str, Any], new: dict[str, Any], at: datetime) -> None:
    for field in fields:
        session.add(Correction(participant_id=person.id, field=field, old_value=_audit(old[field]),
                               new_value=_audit(new[field]), changed_by=principal.subject,
                               changed_at=at))


def _audit(value: Any) -> str | None:
    return None if value is None else str(value)


def history(*, session: Session, principal: Principal, participant_id: str) -> list[Correction]:
    get(session=session, principal=principal, participant_id=participant_id)
    return list(session.exec(select(Correction).where(Correction.participant_id == participant_id)
                             .order_by(Correction.changed_at, Correction.id)).all())


def scoped(column: Any, principal: Principal) -> Any:
    return in_area(column, principal.area)
