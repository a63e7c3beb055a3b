"""The roster: who is enrolled in which programme, as registration tells training.

Each use case runs inside the caller's transaction (``session``). A roster entry is read
locked (``get_for_update``) before its status decides anything, so a withdrawal, a
re-enrolment and a graduation of one participant never act on a stale status.

Registration's news can arrive out of order (a crash sweep republishes an old event after a
newer one): per participant and programme, the time of the latest event applied is kept
(``RegistrationNews``, locked before the roster entry) and older news is ignored, so an
``EnrolmentWithdrawn`` that arrives before the ``ParticipantEnrolled`` it cancels still wins.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update, is_sqlite
from berdaya_shared.pagination import area_page

from ..adapters.tables import MentorAssignment, RegistrationNews, RosterEntry
from ..domain import model
from ..domain.commands import RecordEnrolment
from ..domain.model import RosterStatus
from ..domain.people import is_stale

T = TypeVar("T", RegistrationNews, RosterEntry)
WITHDRAWN_BY = "registration"  # who ends a mentor assignment when the participant withdraws


def locked_entry(session: Session, *, participant_id: str, programme_id: str) -> RosterEntry | None:
    """The participant's entry on the programme's roster, locked until the transaction ends."""
    entry_id = session.exec(select(RosterEntry.id).where(
        RosterEntry.participant_id == participant_id,
        RosterEntry.programme_id == programme_id)).first()
    return get_for_update(session, RosterEntry, entry_id) if entry_id is not None else None


def locked_entries(session: Session, *, programme_id: str,
                   participant_ids: list[str]) -> dict[str, RosterEntry]:
    """The programme's entries of these participants in one query, locked in participant-id
    order (the lock order of ``locked_entry`` taken one by one) and refreshed."""
    keys = [(participant_id, programme_id) for participant_id in participant_ids]
    return {entry.participant_id: entry for entry in _locked_rows(session, RosterEntry, keys)}


def _is_old_news(session: Session, *, participant_id: str, programme_id: str, event_type: str,
                 happened_at: datetime) -> bool:
    """True when newer registration news about the participant's place on the programme was
    applied already; otherwise ``happened_at`` becomes the latest news applied."""
    news = get_for_update(session, RegistrationNews, (participant_id, programme_id))
    kept = _latest_news(news, (participant_id, programme_id), event_type, happened_at)
    if kept is None:
        return True
    if news is None:
        with conflict_on_duplicate(session, field="participant_id",
                                   detail="Kabar pendaftaran peserta ini sedang dicatat bersamaan.",
                                   en="News of this participant is being recorded at the same time."):
            session.add(kept)
        return False
    session.add(kept)
    return False


def _latest_news(latest: RegistrationNews | None, key: tuple[str, str], event_type: str,
                 happened_at: datetime) -> RegistrationNews | None:
    """The news row to keep once this event is applied (a new one, or ``latest`` moved on);
    None when the event is older than the news applied already, and is to be ignored."""
    if latest is None:
        return RegistrationNews(participant_id=key[0], programme_id=key[1], event_type=event_type,
                                happened_at=happened_at)
    if is_stale(happened_at, latest.happened_at):
        return None
    latest.event_type, latest.happened_at = event_type, happened_at
    return latest


def record_enrolments(*, session: Session,
                      enrolments: Sequence[tuple[RecordEnrolment, str, datetime]]) -> None:
    """Put each participant on the roster, or refresh their entry, in the order given:
    ``(enrolment, event_type, happened_at)``. A withdrawn participant who is enrolled again is
    back on the roster, a graduate stays a graduate. An enrolment older than the news applied
    already (a withdrawal that overtook it) is ignored.

    A run of enrolments (a kota's list reaching the consumer as one batch) costs two locked
    reads and one flush, not a few round trips each: the news and the entries of every
    participant in it are read in one query each, locked in key order (news first, as one by
    one), and the same participant may appear more than once. Two deliveries at once: the
    second insert meets a unique key (a 409 naming ``participant_id``); the consumer retries,
    one by one, and finds the rows the first one wrote."""
    keys = sorted({(e.participant_id, e.programme_id) for e, _, _ in enrolments})
    news = {(n.participant_id, n.programme_id): n for n in _locked_rows(session, RegistrationNews, keys)}
    entries = {(e.participant_id, e.programme_id): e for e in _locked_rows(session, RosterEntry, keys)}
    for enrolment, event_type, happened_at in enrolments:
        key = (enrolment.participant_id, enrolment.programme_id)
        kept = _latest_news(news.get(key), key, event_type, happened_at)
        if kept is None:
            continue
        news[key] = kept
        session.add(kept)
        entry = entries.get(key)
        if entry is None:
            entries[key] = entry = RosterEntry(
                participant_id=enrolment.participant_id, programme_id=enrolment.programme_id,
                status=model.status_after_enrolment(None), programme_code=enrolment.programme_code,
                full_name=enrolment.full_name, gender=enrolment.gender,
                kelurahan_code=enrolment.kelurahan_code, kecamatan_code=enrolment.kecamatan_code,
                kota_code=enrolment.kota_code, enrolled_at=enrolment.enrolled_at)
        else:
            entry.status = model.status_after_enrolment(entry.status)
        session.add(_copy(enrolment, entry))
    with conflict_on_duplicate(session, field="participant_id",
                               detail="Peserta ini sedang dicatat bersamaan; kabar ini diulang.",
                               en="This participant is being recorded at the same time; retried."):
        session.flush()


def _locked_rows(session: Session, table: type[T], keys: list[tuple[str, str]]) -> Sequence[T]:
    """The rows of ``table`` (news or entries) for these (participant_id, programme_id) keys,
    locked in key order and refreshed."""
    columns = (table.participant_id, table.programme_id)
    query = (select(table).where(tuple_(*columns).in_(keys)).order_by(*columns)
             .execution_options(populate_existing=True))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return session.exec(query).all()


def _copy(enrolment: RecordEnrolment, entry: RosterEntry) -> RosterEntry:
    """Registration's latest word on the participant, on their roster entry."""
    entry.programme_code, entry.track = enrolment.programme_code, enrolment.track
    entry.full_name, entry.phone = enrolment.full_name, enrolment.phone
    entry.gender = enrolment.gender
    entry.kelurahan_code = enrolment.kelurahan_code
    entry.kecamatan_code, entry.kota_code = enrolment.kecamatan_code, enrolment.kota_code
    entry.baseline_business = enrolment.baseline_business
    entry.baseline_monthly_income = enrolment.baseline_monthly_income
    entry.enrolled_at = enrolment.enrolled_at
    return entry


def record_withdrawal(*, session: Session, participant_id: str, programme_id: str,
                      event_type: str, happened_at: datetime) -> None:
    """An enrolled participant leaves the roster, their cohort and their mentor's caseload
    (the assignment is ended, not deleted); others are unchanged. The withdrawal is remembered
    even before the enrolment it cancels has arrived."""
    if _is_old_news(session, participant_id=participant_id, programme_id=programme_id,
                    event_type=event_type, happened_at=happened_at):
        return
    entry = locked_entry(session, participant_id=participant_id, programme_id=programme_id)
    if entry is not None and entry.status == RosterStatus.ENROLLED:
        entry.status, entry.cohort_id = RosterStatus.WITHDRAWN, None
        session.add(entry)
        for assignment in session.exec(select(MentorAssignment).where(
                MentorAssignment.participant_id == participant_id,
                MentorAssignment.programme_id == programme_id,
                col(MentorAssignment.ended_at).is_(None))).all():
            # Ended when training learns of it (the withdrawal may predate the assignment).
            assignment.ended_by, assignment.ended_at = WITHDRAWN_BY, datetime.now(UTC)
            session.add(assignment)


def list_roster(*, session: Session, principal: Principal, programme_id: str | None,
                limit: int, cursor: str | None) -> tuple[list[RosterEntry], str | None]:
    filters = [RosterEntry.programme_id == programme_id] if programme_id else []
    rows, next_cursor = area_page(session, RosterEntry, area=principal.area, limit=limit,
                                  cursor=cursor, filters=filters)
    return list(rows), next_cursor
