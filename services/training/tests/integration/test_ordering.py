"""Registration's news out of order: an EnrolmentWithdrawn that arrives before the
ParticipantEnrolled it cancels still wins; a re-enrolment after the withdrawal still enrols."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData
from sqlmodel import select

from berdaya_shared.db import transaction
from berdaya_shared.events import Envelope, new_event
from berdaya_shared.events.registration import EnrolmentWithdrawn, ParticipantEnrolled
from berdaya_shared.inbox import define_inbox
from berdaya_shared.inbox.batch import Work, apply_batch
from training.adapters.tables import RosterEntry
from training.messaging import incoming

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def enrolled(person: str, programme: str, at: datetime) -> Envelope:
    data = {**ParticipantEnrolled.EXAMPLE, "participant_id": person, "programme_id": programme}
    return new_event(ParticipantEnrolled(**data), subject=person,
                     source="registration").model_copy(update={"time": at})


def withdrawn(person: str, programme: str, at: datetime) -> Envelope:
    data = {**EnrolmentWithdrawn.EXAMPLE, "participant_id": person, "programme_id": programme}
    return new_event(EnrolmentWithdrawn(**data), subject=person,
                     source="registration").model_copy(update={"time": at})


def deliver(runtime, *events: Envelope) -> None:
    """Each event in its own transaction, in the order given (as the consumer applies them)."""
    handlers = incoming.handlers_for(runtime.settings)
    for event in events:
        with transaction(runtime.sessions) as session:
            handlers[event.type](session, event)


def status(runtime, person: str, programme: str) -> str | None:
    with transaction(runtime.sessions) as session:
        entry = session.exec(select(RosterEntry).where(RosterEntry.participant_id == person,
                                                       RosterEntry.programme_id == programme)).first()
        return entry.status if entry else None


def test_withdrawal_after_enrolment_withdraws(runtime):
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    deliver(runtime, enrolled(person, programme, T0), withdrawn(person, programme, T0 + timedelta(hours=1)))
    assert status(runtime, person, programme) == "withdrawn"


def test_withdrawal_arriving_before_the_enrolment_it_cancels_still_wins(runtime):
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    deliver(runtime, withdrawn(person, programme, T0 + timedelta(hours=1)), enrolled(person, programme, T0))
    assert status(runtime, person, programme) is None  # never on the roster as enrolled
    # A stale enrolment delivered again changes nothing either.
    deliver(runtime, enrolled(person, programme, T0))
    assert status(runtime, person, programme) is None


def test_a_re_enrolment_after_the_withdrawal_enrols_in_either_arrival_order(runtime):
    first, second = (str(uuid.uuid4()), str(uuid.uuid4())), (str(uuid.uuid4()), str(uuid.uuid4()))
    later = T0 + timedelta(days=2)
    deliver(runtime, enrolled(*first, T0), withdrawn(*first, T0 + timedelta(hours=1)),
            enrolled(*first, later))
    assert status(runtime, *first) == "enrolled"
    deliver(runtime, withdrawn(*second, T0 + timedelta(hours=1)), enrolled(*second, T0),
            enrolled(*second, later))
    assert status(runtime, *second) == "enrolled"
    # The old withdrawal, redelivered late, is older news than the re-enrolment.
    deliver(runtime, withdrawn(*second, T0 + timedelta(hours=1)))
    assert status(runtime, *second) == "enrolled"


def test_a_poll_applied_as_one_batch_leaves_the_roster_one_by_one_would(runtime):
    """The consumer hands a run of enrolments to the handler at once (a kota's list); the
    outcome is the same as applying the events one at a time, in order, including one person
    enrolled twice in the run and a withdrawal between two runs."""
    people = [(str(uuid.uuid4()), str(uuid.uuid4())) for _ in range(5)]
    later = T0 + timedelta(days=2)
    events = [enrolled(*people[0], T0), enrolled(*people[1], T0), enrolled(*people[0], later),
              withdrawn(*people[1], T0 + timedelta(hours=1)), enrolled(*people[1], T0),
              enrolled(*people[2], T0), withdrawn(*people[3], T0 + timedelta(hours=1)),
              enrolled(*people[3], T0), enrolled(*people[4], later), enrolled(*people[4], T0)]
    handlers = incoming.handlers_for(runtime.settings)
    inbox = define_inbox(MetaData())  # the service's own inbox table
    applied = apply_batch(sessions=runtime.sessions, inbox=inbox, consumer="test-batch",
                          work=[Work(envelope=e, handler=handlers[e.type]) for e in events])
    assert applied == [True] * len(events)

    assert [status(runtime, *person) for person in people] == [
        "enrolled", "withdrawn", "enrolled", None, "enrolled"]
    # One by one, the same events on fresh ids give the same statuses.
    twins = {person: (str(uuid.uuid4()), person[1]) for person in people}
    deliver(runtime, *[e.model_copy(update={"data": {**e.data, "participant_id": twins[key][0]}})
                       for e, key in zip(events, _keys(events), strict=True)])
    assert [status(runtime, *twins[person]) for person in people] == [
        "enrolled", "withdrawn", "enrolled", None, "enrolled"]


def _keys(events: list[Envelope]) -> list[tuple[str, str]]:
    return [(e.data["participant_id"], e.data["programme_id"]) for e in events]
