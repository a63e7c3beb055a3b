"""Applications: applied -> verified -> enrolled | waitlisted | rejected; withdrawal backfills.

Verification is the kelurahan officer's act: it runs the programme's eligibility rules, then
takes a seat (see seats.py) or joins the waiting list of the kelurahan. A withdrawal of an
enrolled participant frees the seat and enrols the first in line, in the same transaction.
"""

from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.errors import Conflict, InvalidInput, NotFound

from ..adapters.tables import Application, DuplicateFlag, Household, Participant, Programme
from ..domain.eligibility import ApplicantFacts, evaluate
from ..messaging import outgoing
from . import seats
from .participants import get as get_participant
from .programmes import get_programme

OPEN = ("applied", "verified", "enrolled", "waitlisted")


def get(*, session: Session, principal: Principal, application_id: str) -> Application:
    app = session.get(Application, application_id)
    if app is None or not principal.covers(app.kelurahan_code):
        raise NotFound("No such application in your area.", field="application_id")
    return app


def submit(*, session: Session, principal: Principal, participant_id: str, programme_id: str,
           track: str | None, today: date, source: str) -> Application:
    person = get_participant(session=session, principal=principal, participant_id=participant_id)
    programme = get_programme(session=session, programme_id=programme_id)
    if not programme.intake_opens_on <= today <= programme.intake_closes_on:
        raise Conflict(f"The intake of {programme.code} runs {programme.intake_opens_on} to "
                       f"{programme.intake_closes_on}.", field="programme_id")
    if programme.tracks and track not in programme.tracks:
        raise InvalidInput(f"Choose one of the tracks: {', '.join(programme.tracks)}.", field="track")
    if session.exec(select(Application).where(Application.programme_id == programme.id,
                                              Application.participant_id == person.id)).first():
        raise Conflict("This person (NIK) has already applied to this programme intake.",
                       field="participant_id")
    duplicate = session.exec(select(DuplicateFlag).where(DuplicateFlag.participant_id == person.id,
                                                         DuplicateFlag.status == "duplicate")).first()
    if duplicate is not None:
        raise Conflict("An officer confirmed this record as a duplicate of another person; "
                       "apply with the original record.", field="participant_id",
                       duplicate_of=duplicate.candidate_id)
    app = Application(programme_id=programme.id, participant_id=person.id, track=track,
                      kelurahan_code=person.kelurahan_code, full_name=person.full_name,
                      submitted_by=principal.subject, submitted_at=datetime.now(UTC))
    session.add(app)
    session.flush()
    outgoing.application_submitted(session, app, programme, source=source)
    return app


def verify(*, session: Session, principal: Principal, application_id: str, today: date,
           source: str) -> Application:
    app = get(session=session, principal=principal, application_id=application_id)
    if app.status != "applied":
        raise Conflict(f"The application is {app.status}, not awaiting verification.",
                       field="status")
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
        app.status, app.reasons, app.decided_at = "rejected", [f.reason for f in failures], now
        session.add(app)
        outgoing.application_rejected(session, app, source=source)
        return app
    _enrol_or_waitlist(session, app, programme, person, source=source)
    return app


def _enrol_or_waitlist(session: Session, app: Application, programme: Programme,
                       person: Participant, *, source: str) -> None:
    took_seat = seats.take_seat(session, programme, app.kelurahan_code)
    now = datetime.now(UTC)  # stamped under the seat lock: queue order = order of decisions
    if took_seat:
        app.status, app.enrolled_at, app.decided_at = "enrolled", now, now
        session.add(app)
        session.flush()
        outgoing.participant_enrolled(session, app, programme, person, source=source)
        return
    app.status, app.waitlisted_at, app.decided_at = "waitlisted", now, now
    session.add(app)
    session.flush()
    outgoing.participant_waitlisted(session, app, _position(session, app), source=source)


def _queue(programme: Programme, kelurahan_code: str | None):  # type: ignore[no-untyped-def]
    """The waiting line a kelurahan's applicants stand in: the kelurahan's own when it has a
    quota, else the programme's (``kelurahan_code=None``: the programme's whole line)."""
    query = select(Application).where(Application.programme_id == programme.id,
                                      Application.status == "waitlisted")
    if kelurahan_code and seats.kelurahan_capacity(programme, kelurahan_code) is not None:
        query = query.where(Application.kelurahan_code == kelurahan_code)
    return query.order_by(Application.waitlisted_at, Application.id)


def _position(session: Session, app: Application) -> int:
    programme = session.get(Programme, app.programme_id)
    assert programme is not None
    ahead = _queue(programme, app.kelurahan_code).where(
        (Application.waitlisted_at < app.waitlisted_at)
        | ((Application.waitlisted_at == app.waitlisted_at) & (Application.id < app.id)))
    return session.exec(select(func.count()).select_from(ahead.subquery())).one() + 1


def reject(*, session: Session, principal: Principal, application_id: str, reason: str,
           source: str) -> Application:
    app = get(session=session, principal=principal, application_id=application_id)
    if app.status not in ("applied", "waitlisted"):
        raise Conflict(f"An application that is {app.status} cannot be rejected.", field="status")
    app.status, app.reasons, app.decided_at = "rejected", [reason], datetime.now(UTC)
    session.add(app)
    outgoing.application_rejected(session, app, source=source)
    return app


def withdraw(*, session: Session, principal: Principal, application_id: str, reason: str,
             source: str) -> Application:
    app = get(session=session, principal=principal, application_id=application_id)
    if app.status not in OPEN:
        raise Conflict(f"An application that is {app.status} cannot be withdrawn.", field="status")
    programme = get_programme(session=session, programme_id=app.programme_id)
    was_enrolled = app.status == "enrolled"
    app.status, app.withdrawn_at, app.reasons = "withdrawn", datetime.now(UTC), [reason]
    session.add(app)
    session.flush()
    outgoing.enrolment_withdrawn(session, app, reason, source=source)
    if was_enrolled:
        seats.release_seat(session, programme, app.kelurahan_code)
        _backfill(session, programme, app.kelurahan_code, source=source)
    return app


def _backfill(session: Session, programme: Programme, kelurahan_code: str, *, source: str) -> None:
    """Give the freed seat to the first in the kelurahan's line; failing that, to the first in
    the programme's line whose own kelurahan still has room (the total was what held them)."""
    candidates = [*session.exec(_queue(programme, kelurahan_code).limit(50)).all(),
                  *session.exec(_queue(programme, None).limit(200)).all()]
    for waiting in candidates:
        if seats.take_seat(session, programme, waiting.kelurahan_code):
            person = session.get(Participant, waiting.participant_id)
            assert person is not None
            now = datetime.now(UTC)
            waiting.status, waiting.enrolled_at, waiting.decided_at = "enrolled", now, now
            session.add(waiting)
            session.flush()
            outgoing.participant_enrolled(session, waiting, programme, person, source=source)
            return
