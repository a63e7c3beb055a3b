"""Simultaneous requests on PostgreSQL, released together by a barrier (real HTTP through
uvicorn, one connection each): one decision each."""

import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.errors import Conflict
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import ParticipantEnrolled
from berdaya_shared.events.training import ParticipantGraduated, ParticipantNotGraduated
from berdaya_shared.testing import service_runtime
from berdaya_shared.testing.races import at_once, race, served, statuses
from training.adapters.tables import Attendance, GraduationDecision, RosterEntry, outbox
from training.bootstrap import build
from training.config import TrainingSettings
from training.messaging import incoming

from .helpers import enrol, enrol_many, officer, ok, schedule, sheet

RACERS = 6


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, TrainingSettings, postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def count(runtime, query) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_two_closes_of_one_cohort_at_once_decide_once_and_publish_one_set_of_events(pg):
    runtime, client = pg
    run = schedule(runtime, client, 3, sessions=1)
    headers = officer(runtime)
    ok(client.put(f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance", headers=headers,
                  json=sheet(dict.fromkeys(run.people, "present"))))
    ok(client.put(f"/cohorts/{run.cohort}/assessments", headers=headers, json={"scores": [
        {"participant_id": p, "kind": "practical", "score": 80} for p in run.people[:2]]}))

    with served(runtime) as url:
        answers = race(url, [lambda http: http.post(f"/cohorts/{run.cohort}/close",
                                                    headers=headers)] * 2)

    assert statuses(answers) == [200, 409], [a.text for a in answers]
    refused = next(a.json() for a in answers if a.status_code == 409)
    assert refused["field"] == "status"
    assert count(runtime, select(func.count()).select_from(GraduationDecision).where(
        GraduationDecision.cohort_id == run.cohort)) == 3
    decided = (ParticipantGraduated.TYPE, ParticipantNotGraduated.TYPE)
    assert count(runtime, select(func.count()).select_from(outbox).where(
        outbox.c.event_type.in_(decided))) == 3


def test_the_same_attendance_sheet_saved_twice_at_once_is_stored_once(pg):
    runtime, client = pg
    run = schedule(runtime, client, 3, sessions=1)
    headers = officer(runtime)
    body = sheet({run.people[0]: "present", run.people[1]: "present", run.people[2]: "absent"})

    path = f"/cohorts/{run.cohort}/sessions/{run.sessions[0]}/attendance"
    with served(runtime) as url:
        answers = race(url, [lambda http: http.put(path, headers=headers, json=body)] * RACERS)

    # Defined as idempotent: every save answers 200, and the sheet is stored once.
    assert [a.status_code for a in answers] == [200] * RACERS, [a.text for a in answers]
    assert {a.json()["recorded"] for a in answers} == {3}
    assert count(runtime, select(func.count()).select_from(Attendance).where(
        Attendance.cohort_id == run.cohort)) == 3
    assert count(runtime, select(func.count()).select_from(Attendance).where(
        Attendance.cohort_id == run.cohort, Attendance.status == "present")) == 2


def test_one_participant_added_to_two_cohorts_at_once_joins_one(pg):
    runtime, client = pg
    programme, person = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, person, programme)
    run = schedule(runtime, client, 0, sessions=0, start=False, programme=programme)
    headers = officer(runtime)
    second = ok(client.post("/cohorts", headers=headers, json={
        "programme_id": run.programme, "track_code": "tata-boga", "name": "Tata Boga angkatan 2",
        "venue_id": run.venue, "area_code": "31.74.06", "starts_on": "2026-12-01",
        "ends_on": "2026-12-10"}), 201)["id"]
    cohorts = [run.cohort, second]

    with served(runtime) as url:
        answers = race(url, [lambda http, c=c: http.post(f"/cohorts/{c}/members", headers=headers,
                                                         json={"participant_ids": [person]})
                             for c in cohorts])

    assert statuses(answers) == [200, 409]
    joined = cohorts[[a.status_code for a in answers].index(200)]
    roster = client.get("/roster", params={"programme_id": run.programme}, headers=headers).json()
    assert [i["cohort_id"] for i in roster["items"]] == [joined]


def test_two_additions_at_once_never_overfill_the_venue(pg):
    runtime, client = pg
    run = schedule(runtime, client, 1, sessions=0, start=False, capacity=2)
    newcomers = [str(uuid.uuid4()) for _ in range(2)]
    enrol_many(runtime, newcomers, run.programme)
    headers = officer(runtime)

    with served(runtime) as url:
        answers = race(url, [lambda http, p=p: http.post(f"/cohorts/{run.cohort}/members",
                                                         headers=headers,
                                                         json={"participant_ids": [p]})
                             for p in newcomers])

    assert statuses(answers) == [200, 409]
    assert next(a.json() for a in answers if a.status_code == 409)["field"] == "participant_ids"
    assert count(runtime, select(func.count()).select_from(RosterEntry).where(
        RosterEntry.cohort_id == run.cohort)) == 2


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
