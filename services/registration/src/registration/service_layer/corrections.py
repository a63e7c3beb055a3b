"""Corrections of a person or their household, each with an audit entry (who, when, old -> new).

A correction locks the household, then its members (lock order: seats.py), so two corrections
of one family, or a correction and a registration into the household, apply one after the
other. A new name or kelurahan reaches the person's open applications
(``applications.follow_people``): the new kelurahan's officer sees them, the old one no longer
does, and later events carry the new area.
"""

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update, is_sqlite
from berdaya_shared.errors import Conflict
from berdaya_shared.gazetteer import Gazetteer

from ..adapters.tables import Correction, Household, Participant
from ..messaging import outgoing
from . import applications
from .participants import HOUSEHOLD_FIELDS, NIK_TAKEN, PERSON_FIELDS, by_nik, clean, get, in_area_or_404

KK_TAKEN = ("KK ini milik rumah tangga lain.", "This KK belongs to another household.")
# What an application copies from its person.
FOLLOWED = {"full_name", "kelurahan_code"}


def _lock_family(session: Session, household_id: str) -> tuple[Household, list[Participant]]:
    household = get_for_update(session, Household, household_id)
    assert household is not None
    query = (select(Participant).where(col(Participant.household_id) == household_id)
             .order_by(col(Participant.id)).execution_options(populate_existing=True))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return household, list(session.exec(query).all())


def correct(*, session: Session, principal: Principal, gazetteer: Gazetteer, participant_id: str,
            changes: dict[str, Any], source: str) -> Participant:
    """Apply corrections, keeping who/when/old -> new for each changed field."""
    household_id = get(session=session, principal=principal,
                       participant_id=participant_id).household_id
    household, family = _lock_family(session, household_id)
    person = in_area_or_404(principal, next((p for p in family if p.id == participant_id), None))
    current = {**{f: getattr(household, f) for f in HOUSEHOLD_FIELDS},
               **{f: getattr(person, f) for f in PERSON_FIELDS}}
    cleaned = asdict(clean({**current, **changes}, gazetteer))
    principal.ensure_covers(cleaned["kelurahan_code"], hide=False)
    changed = [f for f in (*PERSON_FIELDS, *HOUSEHOLD_FIELDS) if cleaned[f] != current[f]]
    if not changed:
        return person
    if "nik" in changed and (other := by_nik(session, cleaned["nik"])) and other.id != person.id:
        raise Conflict(NIK_TAKEN[0], en=NIK_TAKEN[1], field="nik")
    if "kk_number" in changed and session.exec(select(Household).where(
            col(Household.kk_number) == cleaned["kk_number"],
            col(Household.id) != household.id)).first():
        raise Conflict(KK_TAKEN[0], en=KK_TAKEN[1], field="kk_number")
    now = datetime.now(UTC)
    for field in changed:
        target = household if field in HOUSEHOLD_FIELDS else person
        setattr(target, field, cleaned[field])
    # The checks above pass for two simultaneous corrections to one number: the constraint
    # stops the second, named by its field.
    with conflict_on_duplicate(session, field="kk_number", detail=KK_TAKEN[0], en=KK_TAKEN[1]):
        session.add(household)
    _audit_changes(session, principal, person, changed, current, cleaned, now)
    person.kelurahan_code, person.updated_at = household.kelurahan_code, now
    with conflict_on_duplicate(session, field="nik", detail=NIK_TAKEN[0], en=NIK_TAKEN[1]):
        session.add(person)
    outgoing.participant_updated(session, person, changed, source=source)
    followers = [person] if FOLLOWED & set(changed) else []
    household_changed = [f for f in changed if f in HOUSEHOLD_FIELDS]
    if household_changed:  # the address, KK and DTKS status are the whole family's
        for member in family:
            if member.id == person.id:
                continue
            _audit_changes(session, principal, member, household_changed, current, cleaned, now)
            member.kelurahan_code, member.updated_at = household.kelurahan_code, now
            session.add(member)
            session.flush()
            outgoing.participant_updated(session, member, household_changed, source=source)
            if "kelurahan_code" in household_changed:
                followers.append(member)
    if followers:
        applications.follow_people(session=session, people=followers, source=source)
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
    return list(session.exec(select(Correction).where(col(Correction.participant_id) == participant_id)
                             .order_by(col(Correction.changed_at), col(Correction.id))).all())
