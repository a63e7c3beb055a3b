"""Mentor assignment: at most the mentor's caseload, reassignment keeps the history,
MentorAssigned read back from Kafka, and the cap holds under a race on PostgreSQL."""

import asyncio
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import EnrolmentWithdrawn
from berdaya_shared.events.training import MentorAssigned
from berdaya_shared.testing import envelopes, publish_pending, read_topic, service_runtime
from berdaya_shared.testing.races import race, served, statuses
from training.adapters.tables import MentorAssignment
from training.bootstrap import build
from training.config import TrainingSettings
from training.messaging import incoming
from training.service_layer.mentors import current_mentor

from .people_helpers import CIPAYUNG, CIPAYUNG_KELURAHAN, enrol, mentor_body, officer, ok


def mentor(client, headers, **changes) -> str:
    return ok(client.post("/people", headers=headers, json=mentor_body(**changes)), 201)["id"]


def test_assignment_is_announced_and_travels_to_graduation(runtime, client):
    camat, programme = officer(runtime), str(uuid.uuid4())
    people = [str(uuid.uuid4()) for _ in range(2)]
    enrol(runtime, people, programme)
    dewi = mentor(client, camat)
    rows = ok(client.post(f"/mentors/{dewi}/participants", headers=camat,
                          json={"programme_id": programme, "participant_ids": people}))
    assert [r["participant_id"] for r in rows] == people
    assert {r["assigned_by"] for r in rows} == {"camat-cilandak"}
    # Asking again changes nothing and announces nothing new.
    ok(client.post(f"/mentors/{dewi}/participants", headers=camat,
                   json={"programme_id": programme, "participant_ids": people}))
    assert len(ok(client.get(f"/mentors/{dewi}/participants", headers=camat))) == 2
    with transaction(runtime.sessions) as session:
        found = current_mentor(session, participant_id=people[0], programme_id=programme)
        assert found is not None and (found.id, found.organisation) == (dewi, "OK OCE")
        assert current_mentor(session, participant_id=people[0], programme_id="other") is None

    assert publish_pending(runtime) == 2
    published = [e for e in envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "training.events",
        until=lambda ms: sum(e.subject in people for e in envelopes(ms)) >= 2)))
        if e.subject in people]
    assert {e.type for e in published} == {MentorAssigned.TYPE}
    data = published[0].data
    assert (data["mentor_id"], data["mentor_name"], data["mentor_organisation"]) == (
        dewi, "Dewi Lestari", "OK OCE")
    assert data["programme_id"] == programme and data["previous_mentor_id"] is None
    assert "+6281234567890" not in published[0].model_dump_json()  # no mentor phone


def test_the_caseload_cap_refuses_the_whole_request(runtime, client):
    camat, programme = officer(runtime), str(uuid.uuid4())
    people = [str(uuid.uuid4()) for _ in range(3)]
    enrol(runtime, people, programme)
    dewi = mentor(client, camat, max_caseload=2)
    ok(client.post(f"/mentors/{dewi}/participants", headers=camat,
                   json={"programme_id": programme, "participant_ids": people[:1]}))
    full = client.post(f"/mentors/{dewi}/participants", headers=camat,
                       json={"programme_id": programme, "participant_ids": people[1:]})
    assert full.status_code == 409 and full.json()["field"] == "participant_ids"
    assert "paling banyak 2" in full.json()["detail"]
    assert [a["participant_id"] for a in ok(client.get(f"/mentors/{dewi}/participants",
                                                       headers=camat))] == people[:1]


def test_reassignment_ends_the_old_assignment_and_keeps_it(runtime, client):
    camat, programme, person = officer(runtime), str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, [person], programme)
    dewi, rina = mentor(client, camat), mentor(client, camat, full_name="Rina", organisation="Sudin PE")
    body = {"programme_id": programme, "participant_ids": [person]}
    ok(client.post(f"/mentors/{dewi}/participants", headers=camat, json=body))
    ok(client.post(f"/mentors/{rina}/participants", headers=camat, json=body))
    assert ok(client.get(f"/mentors/{dewi}/participants", headers=camat)) == []
    with transaction(runtime.sessions) as session:
        history = session.exec(select(MentorAssignment).where(
            MentorAssignment.participant_id == person)).all()
        assert sorted((a.mentor_id, a.ended_at is None) for a in history) == sorted(
            [(dewi, False), (rina, True)])
        assert current_mentor(session, participant_id=person, programme_id=programme).id == rina


def test_participants_outside_the_mentors_or_the_callers_area_are_refused(runtime, client):
    camat, programme = officer(runtime), str(uuid.uuid4())
    cipayung = officer(runtime, area=CIPAYUNG, subject="camat-cipayung")
    ours, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    enrol(runtime, [ours], programme)
    enrol(runtime, [theirs], programme, kelurahan=CIPAYUNG_KELURAHAN)
    dewi = mentor(client, camat)
    rina = mentor(client, cipayung, full_name="Rina", area_code=CIPAYUNG)
    outside = client.post(f"/mentors/{dewi}/participants", headers=camat,
                          json={"programme_id": programme, "participant_ids": [ours, theirs]})
    assert outside.status_code == 404 and outside.json()["field"] == "participant_ids.1"
    admin = officer(runtime, area="31", subject="admin", role="city_admin")
    wrong_mentor = client.post(f"/mentors/{rina}/participants", headers=admin,
                               json={"programme_id": programme, "participant_ids": [ours]})
    assert wrong_mentor.status_code == 409 and wrong_mentor.json()["field"] == "participant_ids.0"
    other_officer = client.post(f"/mentors/{dewi}/participants", headers=cipayung,
                                json={"programme_id": programme, "participant_ids": [ours]})
    assert other_officer.status_code == 404 and other_officer.json()["field"] == "person_id"
    assert client.get(f"/mentors/{dewi}/participants", headers=cipayung).status_code == 404
    trainer = mentor(client, camat, kind="trainer", full_name="Budi")
    assert client.post(f"/mentors/{trainer}/participants", headers=camat, json={
        "programme_id": programme, "participant_ids": [ours]}).status_code == 404
    assert ok(client.get(f"/mentors/{dewi}/participants", headers=camat)) == []


def test_a_withdrawal_frees_the_mentors_place_and_keeps_the_history(runtime, client):
    camat, programme = officer(runtime), str(uuid.uuid4())
    people = [str(uuid.uuid4()) for _ in range(2)]
    enrol(runtime, people, programme)
    dewi = mentor(client, camat, max_caseload=1)
    body = {"programme_id": programme, "participant_ids": people[:1]}
    ok(client.post(f"/mentors/{dewi}/participants", headers=camat, json=body))
    data = {**EnrolmentWithdrawn.EXAMPLE, "participant_id": people[0], "programme_id": programme}
    with transaction(runtime.sessions) as session:
        incoming.on_enrolment_withdrawn(session, new_event(
            EnrolmentWithdrawn(**data), subject=people[0], source="registration"))
    ok(client.post(f"/mentors/{dewi}/participants", headers=camat,
                   json={"programme_id": programme, "participant_ids": people[1:]}))
    assert [a["participant_id"] for a in ok(client.get(f"/mentors/{dewi}/participants",
                                                       headers=camat))] == people[1:]
    with transaction(runtime.sessions) as session:
        ended = session.exec(select(MentorAssignment).where(
            MentorAssignment.participant_id == people[0])).one()
        assert ended.ended_by == "registration" and ended.ended_at is not None
    again = client.post(f"/mentors/{dewi}/participants", headers=officer(runtime, area="31",
                        subject="admin", role="city_admin"), json=body)
    assert again.status_code == 409 and again.json()["field"] == "participant_ids.0"


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(build, TrainingSettings, postgres_url, kafka_bootstrap) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def test_officers_filling_the_last_places_at_once_never_exceed_the_cap(pg):
    """Two places left, six officers each adding someone at once: two win, four get a 409."""
    runtime, client = pg
    programme = str(uuid.uuid4())
    people = [str(uuid.uuid4()) for _ in range(7)]
    enrol(runtime, people, programme)
    camat = officer(runtime)
    dewi = mentor(client, camat, max_caseload=3)
    ok(client.post(f"/mentors/{dewi}/participants", headers=camat,
                   json={"programme_id": programme, "participant_ids": people[:1]}))

    def assign(i: int):
        headers = officer(runtime, subject=f"officer-{i}")
        return lambda http: http.post(f"/mentors/{dewi}/participants", headers=headers, json={
            "programme_id": programme, "participant_ids": [people[1 + i]]})

    with served(runtime) as url:
        responses = race(url, [assign(i) for i in range(6)])
    assert statuses(responses) == [200] * 2 + [409] * 4
    assert {r.json()["field"] for r in responses if r.status_code == 409} == {"participant_ids"}
    with transaction(runtime.sessions) as session:
        open_rows = session.exec(select(MentorAssignment).where(
            MentorAssignment.mentor_id == dewi, MentorAssignment.ended_at.is_(None))).all()
        assert len(open_rows) == 3
