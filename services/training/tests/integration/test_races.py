"""Simultaneous requests on PostgreSQL, released together by a barrier: one decision each."""

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.errors import Conflict
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import ParticipantEnrolled
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.testing import auth_headers, service_runtime
from training.adapters.tables import Attendance, RosterEntry, outbox
from training.bootstrap import build
from training.config import TrainingSettings
from training.messaging import incoming

from .test_graduation import enrol

RACERS = 6


def at_once(count: int, call: Callable[[int], Any]) -> list[Any]:
    """Run ``call(0..count-1)`` in threads released together; returns the outcomes in order."""
    start = threading.Barrier(count, timeout=30)

    def run(i: int) -> Any:
        start.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count), timeout=120))


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, TrainingSettings, postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def cohort_with(runtime, client, people: list[str], *, programme: str | None = None) -> str:
    programme = programme or str(uuid.uuid4())
    for person in people:
        enrol(runtime, person, programme)
    trainer = auth_headers(runtime.settings, "trainer", area="31.74.06")
    cohort = client.post("/cohorts", headers=trainer, json={
        "programme_id": programme, "name": "Tata boga A", "venue": "Kantor Kecamatan Cilandak",
        "area_code": "31.74.06", "starts_on": "2026-12-01", "ends_on": "2026-12-10"}).json()["id"]
    if people:
        assert client.post(f"/cohorts/{cohort}/members", headers=trainer,
                           json={"participant_ids": people}).status_code == 200
    return cohort


def count(runtime, query) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_the_same_graduation_twice_at_once_graduates_once_and_publishes_once(pg):
    runtime, client = pg
    person = str(uuid.uuid4())
    cohort = cohort_with(runtime, client, [person])
    trainer = auth_headers(runtime.settings, "trainer", area="31.74.06")
    client.post(f"/cohorts/{cohort}/attendance", headers=trainer,
                json={"session_on": "2026-12-01", "present": [person]})

    answers = at_once(RACERS, lambda _: client.post(
        f"/cohorts/{cohort}/graduations", headers=trainer, json={"participant_id": person}))

    assert sorted(a.status_code for a in answers) == [201] + [409] * (RACERS - 1)
    refused = [a.json() for a in answers if a.status_code == 409]
    assert {r["detail"] for r in refused} == {"Peserta ini sudah lulus."}
    assert count(runtime, select(func.count()).select_from(outbox).where(
        outbox.c.event_type == ParticipantGraduated.TYPE)) == 1


def test_the_same_attendance_sheet_saved_twice_at_once_is_stored_once(pg):
    runtime, client = pg
    people = [str(uuid.uuid4()) for _ in range(3)]
    cohort = cohort_with(runtime, client, people)
    trainer = auth_headers(runtime.settings, "trainer", area="31.74.06")
    sheet = {"session_on": "2026-12-02", "present": people[:2], "absent": people[2:]}

    answers = at_once(RACERS, lambda _: client.post(f"/cohorts/{cohort}/attendance",
                                                    headers=trainer, json=sheet))

    # Defined as idempotent: every save answers 200, and the sheet is stored once.
    assert [a.status_code for a in answers] == [200] * RACERS, [a.text for a in answers]
    assert {a.json()["recorded"] for a in answers} == {3}
    assert count(runtime, select(func.count()).select_from(Attendance).where(
        Attendance.cohort_id == cohort)) == 3
    assert count(runtime, select(func.count()).select_from(Attendance).where(
        Attendance.cohort_id == cohort, Attendance.present.is_(True))) == 2


def test_one_participant_added_to_two_cohorts_at_once_joins_one(pg):
    runtime, client = pg
    programme, person = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, person, programme)
    cohorts = [cohort_with(runtime, client, [], programme=programme) for _ in range(2)]
    trainer = auth_headers(runtime.settings, "trainer", area="31.74.06")

    answers = at_once(2, lambda i: client.post(f"/cohorts/{cohorts[i]}/members", headers=trainer,
                                               json={"participant_ids": [person]}))

    assert sorted(a.status_code for a in answers) == [200, 409]
    joined = cohorts[[a.status_code for a in answers].index(200)]
    roster = client.get("/roster", params={"programme_id": programme}, headers=trainer).json()
    assert [i["cohort_id"] for i in roster["items"]] == [joined]


def test_one_enrolment_delivered_twice_at_once_is_one_roster_entry(pg):
    runtime, _ = pg
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    data = {**ParticipantEnrolled.EXAMPLE, "participant_id": person, "programme_id": programme,
            "enrolled_at": datetime.now(UTC)}
    handle = incoming.handlers_for(runtime.settings)[ParticipantEnrolled.TYPE]

    def deliver(_: int) -> str:  # two copies with their own event ids, as a replay would send
        try:
            with transaction(runtime.sessions) as session:
                handle(session, new_event(ParticipantEnrolled(**data), subject=person,
                                          source="test"))
            return "applied"
        except Conflict as refused:  # the consumer retries this one
            assert refused.field == "participant_id"
            return "retry"

    outcomes = at_once(RACERS, deliver)

    assert "applied" in outcomes and set(outcomes) <= {"applied", "retry"}
    assert deliver(0) == "applied"  # the retry finds the entry and refreshes it
    assert count(runtime, select(func.count()).select_from(RosterEntry).where(
        RosterEntry.participant_id == person)) == 1
