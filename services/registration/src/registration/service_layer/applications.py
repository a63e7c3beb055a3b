"""Applications: applied -> verified -> enrolled | waitlisted | rejected; withdrawal backfills.

Verification is the kelurahan officer's act: it runs the programme's eligibility rules, then
takes a seat (see seats.py) or joins the waiting list of the kelurahan. A withdrawal of an
enrolled participant frees the seat and enrols the first in line, in the same transaction.

Every decision reads the application locked (``get_for_update``) before it checks the status,
so a double-clicked verify, two withdrawals or a withdrawal racing a reject decide one after
the other on what the first one wrote; seats.py gives the lock order. A record an officer
confirmed as a duplicate is neither verified (409) nor given a freed seat (passed over).
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update, is_sqlite
from berdaya_shared.errors import Conflict, InvalidInput, NotFound
from berdaya_shared.logging import get_logger

from ..adapters.tables import Application, DuplicateFlag, Household, Participant, Programme
from ..domain.eligibility import ApplicantFacts, evaluate
from ..domain.status import APPLICATION_STATUS_ID, ApplicationStatus, DuplicateStatus
from ..messaging import outgoing
from . import seats
from .participants import get as get_participant
from .programmes import get_programme

log = get_logger(__name__)
S = ApplicationStatus
OPEN = S.OPEN


def _in_area(principal: Principal, app: Application | None) -> Application:
    if app is None or not principal.covers(app.kelurahan_code):
        raise NotFound("Permohonan ini tidak ada di wilayah Anda.",
                       en="No such application in your area.", field="application_id")
    return app


def get(*, session: Session, principal: Principal, application_id: str) -> Application:
    return _in_area(principal, session.get(Application, application_id))


def _get_locked(session: Session, principal: Principal, application_id: str) -> Application:
    """The application a decision is about, locked until commit (lock order: seats.py)."""
    return _in_area(principal, get_for_update(session, Application, application_id))


def confirmed_duplicate(session: Session, participant_id: str) -> DuplicateFlag | None:
    """The officer's confirmation that this record duplicates another person, if any."""
    return session.exec(select(DuplicateFlag).where(
        col(DuplicateFlag.participant_id) == participant_id,
        col(DuplicateFlag.status) == DuplicateStatus.DUPLICATE)).first()


def _status_conflict(app: Application, doing_id: str, doing_en: str) -> Conflict:
    return Conflict(f"Permohonan yang {APPLICATION_STATUS_ID.get(app.status, app.status)} "
                    f"tidak dapat {doing_id}.",
                    en=f"An application that is {app.status} cannot be {doing_en}.",
                    field="status")


def submit(*, session: Session, principal: Principal, participant_id: str, programme_id: str,
           track: str | None, today: date, source: str) -> Application:
    person = get_participant(session=session, principal=principal, participant_id=participant_id)
    programme = get_programme(session=session, programme_id=programme_id)
    if not programme.intake_opens_on <= today <= programme.intake_closes_on:
        raise Conflict(f"Masa pendaftaran {programme.code} berlangsung {programme.intake_opens_on} "
                       f"s.d. {programme.intake_closes_on}.",
                       en=f"The intake of {programme.code} runs {programme.intake_opens_on} to "
                          f"{programme.intake_closes_on}.", field="programme_id")
    if programme.tracks and track not in programme.tracks:
        raise InvalidInput(f"Pilih salah satu jalur pelatihan: {', '.join(programme.tracks)}.",
                           en=f"Choose one of the tracks: {', '.join(programme.tracks)}.",
                           field="track")
    already = ("Orang ini (NIK) sudah mengajukan permohonan ke program ini.",
               "This person (NIK) has already applied to this programme intake.")
    if session.exec(select(Application).where(col(Application.programme_id) == programme.id,
                                              col(Application.participant_id) == person.id)).first():
        raise Conflict(already[0], en=already[1], field="participant_id")
    duplicate = confirmed_duplicate(session, person.id)
    if duplicate is not None:
        raise Conflict("Petugas telah mengonfirmasi data ini sebagai duplikat orang lain; ajukan "
                       "permohonan dengan data aslinya.",
                       en="An officer confirmed this record as a duplicate of another person; "
                          "apply with the original record.",
                       field="participant_id", duplicate_of=duplicate.candidate_id)
    app = Application(programme_id=programme.id, participant_id=person.id, track=track,
                      kelurahan_code=person.kelurahan_code, full_name=person.full_name,
                      submitted_by=principal.subject, submitted_at=datetime.now(UTC))
    # Two submissions at once both pass the check above: the unique constraint stops one.
    with conflict_on_duplicate(session, field="participant_id", detail=already[0], en=already[1]):
        session.add(app)
    outgoing.application_submitted(session, app, programme, source=source)
    return app


def verify(*, session: Session, principal: Principal, application_id: str, today: date,
           source: str) -> Application:
    app = _get_locked(session, principal, application_id)
    if app.status != S.APPLIED:
        raise _status_conflict(app, "diverifikasi (hanya permohonan yang menunggu verifikasi)",
                               "verified (only one awaiting verification can)")
    duplicate = confirmed_duplicate(session, app.participant_id)
    if duplicate is not None:
        raise Conflict("Petugas telah mengonfirmasi peserta ini sebagai duplikat orang lain, "
                       "sehingga permohonannya tidak dapat diverifikasi; tarik permohonan ini "
                       "dan gunakan data aslinya.",
                       en="An officer confirmed this participant as a duplicate of another "
                          "person, so the application cannot be verified; withdraw it and use "
                          "the original record.",
                       field="participant_id", duplicate_of=duplicate.candidate_id)
    programme = get_programme(session=session, programme_id=app.programme_id)
    person = session.get(Participant, app.participant_id)
    household = session.get(Household, person.household_id) if person else None
    assert person is not None and household is not None
    now = datetime.now(UTC)
    app.verified_by, app.verified_at = principal.subject, now
    failures = evaluate(programme.eligibility_rules, ApplicantFacts(
        birth_date=person.birth_date, gender=person.gender, kelurahan_code=person.kelurahan_code,
        dtks_listed=household.dtks_listed, pkk_cadre=person.pkk_cadre), on=today)
    if failures:
        app.status, app.reasons, app.decided_at = S.REJECTED, [f.reason for f in failures], now
        session.add(app)
        outgoing.application_rejected(session, app, source=source)
        return app
    _enrol_or_waitlist(session, app, programme, person, source=source)
    return app


def _enrol(session: Session, app: Application, programme: Programme, *, source: str) -> None:
    """Mark the application enrolled (its seat already taken in its kelurahan) and announce it."""
    person = session.get(Participant, app.participant_id)
    assert person is not None
    now = datetime.now(UTC)  # stamped under the seat lock
    app.status, app.enrolled_at, app.decided_at = S.ENROLLED, now, now
    app.seat_kelurahan_code = app.kelurahan_code
    session.add(app)
    session.flush()
    outgoing.participant_enrolled(session, app, programme, person, source=source)


def _enrol_or_waitlist(session: Session, app: Application, programme: Programme,
                       person: Participant, *, source: str) -> None:
    if seats.take_seat(session, programme, app.kelurahan_code):
        _enrol(session, app, programme, source=source)
        return
    now = datetime.now(UTC)  # stamped under the seat lock: queue order = order of decisions
    app.status, app.waitlisted_at, app.decided_at = S.WAITLISTED, now, now
    session.add(app)
    session.flush()
    outgoing.participant_waitlisted(session, app, _position(session, app), source=source)


def _queue(programme: Programme, kelurahan_code: str | None) -> Any:
    """The waiting line a kelurahan's applicants stand in: the kelurahan's own when it has a
    quota, else the programme's (``kelurahan_code=None``: the programme's whole line)."""
    query = select(Application).where(col(Application.programme_id) == programme.id,
                                      col(Application.status) == S.WAITLISTED)
    if kelurahan_code and seats.kelurahan_capacity(programme, kelurahan_code) is not None:
        query = query.where(col(Application.kelurahan_code) == kelurahan_code)
    return query.order_by(col(Application.waitlisted_at), col(Application.id))


def _position(session: Session, app: Application) -> int:
    programme = session.get(Programme, app.programme_id)
    assert programme is not None
    waited = col(Application.waitlisted_at)
    ahead = _queue(programme, app.kelurahan_code).where(
        (waited < app.waitlisted_at)
        | ((waited == app.waitlisted_at) & (col(Application.id) < app.id)))
    count: int = session.exec(select(func.count()).select_from(ahead.subquery())).one()
    return count + 1


def reject(*, session: Session, principal: Principal, application_id: str, reason: str,
           source: str) -> Application:
    app = _get_locked(session, principal, application_id)
    if app.status not in S.REJECTABLE:
        raise _status_conflict(app, "ditolak", "rejected")
    app.status, app.reasons, app.decided_at = S.REJECTED, [reason], datetime.now(UTC)
    session.add(app)
    outgoing.application_rejected(session, app, source=source)
    return app


def withdraw(*, session: Session, principal: Principal, application_id: str, reason: str,
             source: str) -> Application:
    app = _get_locked(session, principal, application_id)
    if app.status not in OPEN:
        raise _status_conflict(app, "ditarik", "withdrawn")
    programme = get_programme(session=session, programme_id=app.programme_id)
    was_enrolled = app.status == S.ENROLLED
    app.status, app.withdrawn_at, app.reasons = S.WITHDRAWN, datetime.now(UTC), [reason]
    session.add(app)
    session.flush()
    outgoing.enrolment_withdrawn(session, app, reason, source=source)
    if was_enrolled:
        counted_in = app.seat_kelurahan_code or app.kelurahan_code
        seats.release_seat(session, programme, counted_in)
        _backfill(session, programme, counted_in, source=source)
    return app


def _backfill(session: Session, programme: Programme, kelurahan_code: str, *, source: str) -> None:
    """Give the freed seat to the first in the kelurahan's line; failing that, to the first in
    the programme's line whose own kelurahan still has room (the total was what held them).
    Passed over: a confirmed duplicate, and one another request is changing right now."""
    candidates = [*session.exec(_queue(programme, kelurahan_code).limit(50)).all(),
                  *session.exec(_queue(programme, None).limit(200)).all()]
    for candidate in candidates:
        waiting = seats.lock_waiting(session, candidate.id)
        if waiting is None or waiting.status != S.WAITLISTED:
            continue
        if confirmed_duplicate(session, waiting.participant_id) is not None:
            log.info("registration.backfill_passed_over", application_id=waiting.id,
                     reason="confirmed_duplicate")
            continue
        if seats.take_seat(session, programme, waiting.kelurahan_code):
            _enrol(session, waiting, programme, source=source)
            return


def follow_people(*, session: Session, people: list[Participant], source: str) -> list[Application]:
    """A correction renamed or moved these people: their open applications take the new name
    and kelurahan (so the right officer sees them and later events carry the new area). An
    enrolled seat moves to the new kelurahan when its quota has room, else stays counted where
    it was taken (seats.move_seat); a kelurahan a seat left backfills from its line.

    All their open applications are locked first (in id order), then the seat counters,
    programme by programme: the lock order of seats.py."""
    by_id = {p.id: p for p in people}
    query = (select(Application).where(col(Application.participant_id).in_(list(by_id)),
                                       col(Application.status).in_(OPEN))
             .order_by(col(Application.id)).execution_options(populate_existing=True))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    apps = list(session.exec(query).all())
    moving: list[tuple[Application, str]] = []
    for app in apps:
        person = by_id[app.participant_id]
        counted_in = app.seat_kelurahan_code or app.kelurahan_code
        if app.status == S.ENROLLED and counted_in != person.kelurahan_code:
            moving.append((app, counted_in))
        app.full_name, app.kelurahan_code = person.full_name, person.kelurahan_code
        session.add(app)
    session.flush()
    moving.sort(key=lambda m: m[0].programme_id)  # one programme's counters after another's
    freed: list[tuple[Programme, str]] = []
    for app, counted_in in moving:
        programme = get_programme(session=session, programme_id=app.programme_id)
        app.seat_kelurahan_code = seats.move_seat(session, programme, counted_in,
                                                  app.kelurahan_code)
        session.add(app)
        if app.seat_kelurahan_code != counted_in:
            freed.append((programme, counted_in))
    session.flush()
    for programme, kelurahan_code in freed:
        _backfill(session, programme, kelurahan_code, source=source)
    return apps
