"""ParticipantGraduated -> one follow-up plan, its visits and a VisitScheduled per visit."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.monitoring import VisitScheduled
from berdaya_shared.events.registration import ParticipantUpdated
from berdaya_shared.inbox import ConsumerRunner
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic
from monitoring.adapters.tables import FollowUpPlan, Visit, inbox
from monitoring.messaging import incoming

from .helpers import apply, graduate, graduation, outbox_events


def count(runtime, model, *where) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_graduation_opens_a_plan_and_schedules_its_visits(runtime, client):
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    graduated_at = datetime(2026, 12, 20, 20, 0, tzinfo=UTC)  # 21 December in Jakarta
    cause = graduate(runtime, person, programme, graduated_at=graduated_at)

    officer = auth_headers(runtime.settings, "field_officer", area="31.71.03")
    page = client.get("/plans", params={"programme_id": programme}, headers=officer).json()
    assert [p["participant_id"] for p in page["items"]] == [person]
    assert page["items"][0]["baseline_monthly_income"] == 1500000
    plan = client.get(f"/plans/{page['items'][0]['id']}", headers=officer).json()
    assert [(v["sequence"], v["due_on"], v["status"]) for v in plan["visits"]] == [
        (1, "2026-12-20", "scheduled"), (2, "2027-01-20", "scheduled")]

    assert publish_pending(runtime) == 2
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "monitoring.events",
        until=lambda ms: sum(e.subject == person for e in envelopes(ms)) >= 2)))
    mine = [e for e in published if e.subject == person]
    assert [e.type for e in mine] == [VisitScheduled.TYPE] * 2
    assert [e.data["sequence"] for e in mine] == [1, 2]
    assert {e.data["visit_id"] for e in mine} == {v["id"] for v in plan["visits"]}
    assert all(e.correlationid == cause.correlationid and e.causationid == cause.id for e in mine)
    assert all(e.data["kecamatan_code"] == "31.71.03" for e in mine)


def test_a_graduation_told_twice_opens_one_plan(runtime):
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    event = graduation(person, programme)
    apply(runtime, event)
    apply(runtime, event)  # the same event redelivered
    apply(runtime, graduation(person, programme))  # or announced again under a new id
    assert count(runtime, FollowUpPlan, FollowUpPlan.participant_id == person) == 1
    assert count(runtime, Visit) == 2
    assert len(outbox_events(runtime, VisitScheduled.TYPE)) == 2


def test_consumer_applies_graduations_from_the_broker_once(runtime):
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    first = graduation(person, programme)
    marker = graduation(person, str(uuid.uuid4()))  # same key: lands after the duplicate
    runner = ConsumerRunner(name=f"monitoring.test-{uuid.uuid4().hex[:8]}",
                            topics=incoming.TOPICS, handlers=runtime.consumer.handlers,
                            sessions=runtime.sessions, inbox=inbox,
                            bootstrap=runtime.relay.bootstrap)

    async def go() -> None:
        await ensure_topics(runner.bootstrap, runner.topics)
        producer = new_producer(runner.bootstrap, client_id="test-training")
        await producer.start()
        try:
            for event in (first, first, marker):
                await producer.send_and_wait(event.topic, event.to_bytes(),
                                             key=event.subject.encode())
        finally:
            await producer.stop()
        task = asyncio.create_task(runner.run())
        deadline = datetime.now(UTC) + timedelta(seconds=60)
        while count(runtime, FollowUpPlan, FollowUpPlan.programme_id == marker.data[
                "programme_id"]) == 0:
            assert datetime.now(UTC) < deadline and not task.done(), "consumer did not apply"
            await asyncio.sleep(0.2)
        runner.stop()
        await task

    asyncio.run(go())
    assert count(runtime, FollowUpPlan, FollowUpPlan.participant_id == person) == 2
    assert count(runtime, FollowUpPlan, FollowUpPlan.programme_id == programme) == 1
    with runtime.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(inbox)
                            .where(inbox.c.event_id == first.id)).scalar_one()
    assert rows == 1


def test_a_corrected_phone_reaches_the_field_officers_plan(runtime, client):
    event = graduate(runtime)
    person = event.subject
    update = {**ParticipantUpdated.EXAMPLE, "participant_id": person, "full_name": "Siti Aminah",
              "phone": "+6281277770000", "changed_fields": ["phone"]}
    apply(runtime, new_event(ParticipantUpdated(**update), subject=person, source="test"))
    admin = auth_headers(runtime.settings, "city_admin")
    plans = [p for p in client.get("/plans", headers=admin).json()["items"]
             if p["participant_id"] == person]
    assert [p["phone"] for p in plans] == ["+6281277770000"]
