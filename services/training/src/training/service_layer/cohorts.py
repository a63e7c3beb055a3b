"""Cohorts: scheduling, listing, starting and their members. Each use case runs inside the
caller's transaction (``session``); events are enqueued in the outbox in that same transaction.

Who sees a cohort: a caller whose area covers the cohort's area; a caller who is only a
trainer sees, besides, only the cohorts they created or train a session of (a session's
trainer record whose ``user_subject`` is the caller's token ``sub``).

Locking (PostgreSQL; SQLite serialises writers already). Every row whose state decides an
action is read with ``get_for_update`` before the check, always in the same order: the cohort
first, then roster entries in participant-id order.

* Adding members locks the cohort (its member count is checked against the venue's capacity,
  so two additions at once cannot overfill it) and then the entries, in one query in
  participant-id order, so a participant joins one cohort even when two organisers add them
  to different cohorts at once.
* Starting locks the cohort: of two starts at once one is 200, the other 409.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import exists, func, or_
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.db import get_for_update
from berdaya_shared.errors import Conflict, NotFound
from berdaya_shared.pagination import after, next_cursor

from ..adapters.tables import Cohort, CohortSession, Person, RosterEntry, Venue
from ..domain import model
from ..domain.model import CohortStatus
from ..messaging import outgoing
from . import tracks, venues
from .roster import locked_entries

TRAINER = "trainer"


@dataclass(frozen=True, kw_only=True)
class NewCohort:
    programme_id: str
    track_code: str
    name: str
    venue_id: str
    area_code: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True, kw_only=True)
class CohortFilter:
    programme_id: str | None = None
    track_code: str | None = None
    area: str | None = None
    trainer_id: str | None = None
    status: CohortStatus | None = None


def only_trainer(principal: Principal) -> bool:
    """A caller whose only role is trainer sees only their own cohorts."""
    return principal.roles <= {TRAINER}


def _trains(principal: Principal) -> Any:
    """SQL: the cohort was created by the caller, or the caller trains one of its sessions
    (the session's trainer record carries the caller's login subject)."""
    return or_(col(Cohort.created_by) == principal.subject, exists(
        select(CohortSession.id).join(Person, col(Person.id) == col(CohortSession.trainer_id))
        .where(CohortSession.cohort_id == Cohort.id, Person.user_subject == principal.subject)))


def _not_found() -> NotFound:
    return NotFound("Kelompok pelatihan ini tidak ada di wilayah Anda.",
                    en="No such cohort in your area.", field="cohort_id")


def get_cohort(*, session: Session, cohort_id: str, principal: Principal,
               for_update: bool = False) -> Cohort:
    """The cohort, or 404 when it does not exist, lies outside the caller's area or (for a
    trainer) is not one of theirs."""
    cohort = (get_for_update(session, Cohort, cohort_id) if for_update
              else session.get(Cohort, cohort_id))
    if cohort is None or not principal.covers(cohort.area_code):
        raise _not_found()
    if only_trainer(principal) and session.exec(select(Cohort.id).where(
            Cohort.id == cohort_id, _trains(principal))).first() is None:
        raise _not_found()
    return cohort


def create_cohort(*, session: Session, principal: Principal, cohort: NewCohort,
                  source: str) -> Cohort:
    principal.ensure_covers(cohort.area_code, hide=False)
    model.check_cohort_dates(cohort.starts_on, cohort.ends_on)
    tracks.check_programme_known(session, cohort.programme_id)
    tracks.track_of_cohort(session, programme_id=cohort.programme_id, code=cohort.track_code)
    venue = venues.get_venue(session=session, principal=principal, venue_id=cohort.venue_id)
    row = Cohort(programme_id=cohort.programme_id, track_code=cohort.track_code, name=cohort.name,
                 venue_id=venue.id, area_code=cohort.area_code, starts_on=cohort.starts_on,
                 ends_on=cohort.ends_on, status=CohortStatus.PLANNED,
                 created_by=principal.subject, created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    outgoing.cohort_scheduled(session, row, venue, source=source)
    return row


def list_cohorts(*, session: Session, principal: Principal, where: CohortFilter, limit: int,
                 cursor: str | None) -> tuple[list[Cohort], str | None]:
    clauses: list[Any] = [in_area(Cohort.area_code, principal.area), after([Cohort.id], cursor)]
    if where.programme_id:
        clauses.append(Cohort.programme_id == where.programme_id)
    if where.track_code:
        clauses.append(Cohort.track_code == where.track_code)
    if where.area:
        clauses.append(in_area(Cohort.area_code, where.area))
    if where.status:
        clauses.append(Cohort.status == where.status)
    if where.trainer_id:
        clauses.append(exists(select(CohortSession.id).where(
            CohortSession.cohort_id == Cohort.id, CohortSession.trainer_id == where.trainer_id)))
    if only_trainer(principal):
        clauses.append(_trains(principal))
    rows = list(session.exec(select(Cohort).where(*clauses).order_by(Cohort.id)
                             .limit(limit)).all())
    return rows, next_cursor(rows, ["id"], limit)


def start_cohort(*, session: Session, principal: Principal, cohort_id: str) -> Cohort:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    model.check_cohort_status(cohort.status, allowed=(CohortStatus.PLANNED,),
                              action="dimulai", action_en="start")
    cohort.status, cohort.started_at = CohortStatus.RUNNING, datetime.now(UTC)
    session.add(cohort)
    return cohort


def member_count(session: Session, cohort_id: str) -> int:
    return int(session.exec(select(func.count()).select_from(RosterEntry).where(
        RosterEntry.cohort_id == cohort_id)).one())


def add_members(*, session: Session, principal: Principal, cohort_id: str,
                participant_ids: list[str]) -> list[RosterEntry]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    model.check_cohort_status(cohort.status, allowed=(CohortStatus.PLANNED, CohortStatus.RUNNING),
                              action="menerima anggota", action_en="take members")
    locked = locked_entries(session, programme_id=cohort.programme_id,
                            participant_ids=list(dict.fromkeys(participant_ids)))
    entries: list[RosterEntry] = []
    for index, participant_id in enumerate(participant_ids):
        field = f"participant_ids.{index}"
        entry = locked.get(participant_id)
        # Outside the caller's area the participant is as good as unknown: 404, no name shown.
        if entry is None or not principal.covers(entry.kelurahan_code):
            raise NotFound("Peserta ini tidak ada di daftar peserta program di wilayah Anda.",
                           en="This participant is not on the programme's roster in your area.",
                           field=field)
        model.check_can_join(entry.status, field=field)
        if entry.cohort_id not in (None, cohort.id):
            raise Conflict("Peserta sudah menjadi anggota kelompok pelatihan lain.",
                           en="Participant is already in another cohort.", field=field)
        if entry.cohort_id is None:
            entry.cohort_id = cohort.id
            session.add(entry)
        entries.append(entry)
    if cohort.venue_id is not None:
        venue = session.get(Venue, cohort.venue_id)
        session.flush()
        if venue is not None:
            model.check_capacity(members=member_count(session, cohort.id), capacity=venue.capacity)
    return entries
