"""Tracks and venues as data, cohorts that respect them, and who sees which cohort."""

import uuid

from sqlalchemy import func, select

from berdaya_shared.events.training import CohortScheduled
from berdaya_shared.testing import auth_headers
from training.adapters.tables import Cohort, Track, Venue, outbox

from .helpers import (
    TATA_BOGA,
    add_track,
    add_venue,
    admin,
    enrol,
    officer,
    ok,
    schedule,
    trainer,
    trainer_record,
)

UEP_TRACKS = [
    {**TATA_BOGA},
    {**TATA_BOGA, "code": "minuman-jus", "name": "Minuman / Jus", "kit_type": "blender set",
     "kit_items": ["blender", "dispenser jus"], "min_score": 65},
    {**TATA_BOGA, "code": "steam-motor", "name": "Steam Motor",
     "kit_type": "kompresor dan mesin cuci steam",
     "kit_items": ["kompresor", "mesin cuci steam"], "min_attendance_share": 0.8},
]


def count(runtime, model, *where) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def test_a_city_admin_gives_a_known_programme_its_tracks(runtime, client):
    programme = str(uuid.uuid4())
    enrol(runtime, str(uuid.uuid4()), programme)
    for track in UEP_TRACKS:
        add_track(runtime, client, programme, **track)
    listed = ok(client.get(f"/programmes/{programme}/tracks", headers=officer(runtime)))
    assert [(t["code"], t["kit_type"]) for t in listed] == [
        ("minuman-jus", "blender set"), ("steam-motor", "kompresor dan mesin cuci steam"),
        ("tata-boga", "alat masak set")]

    twice = client.post(f"/programmes/{programme}/tracks", headers=admin(runtime), json=TATA_BOGA)
    assert twice.status_code == 409 and twice.json()["field"] == "code"
    by_officer = client.post(f"/programmes/{programme}/tracks", headers=officer(runtime),
                             json={**TATA_BOGA, "code": "kue-basah"})
    assert by_officer.status_code == 403
    unknown = client.post(f"/programmes/{uuid.uuid4()}/tracks", headers=admin(runtime),
                          json=TATA_BOGA)
    assert unknown.status_code == 422 and unknown.json()["field"] == "programme_id"
    assert count(runtime, Track) == 3


def test_venues_are_kept_by_area(runtime, client):
    cipayung = auth_headers(runtime.settings, "kecamatan_officer", area="31.75.10")
    ok(client.post("/venues", headers=cipayung, json={
        "name": "Panti Sosial Bina Insan Bangun Daya 2", "address": "Jl. Bambu Wulung, Cipayung",
        "kelurahan_code": "31.75.10.1002", "capacity": 120}), 201)
    mine = add_venue(runtime, client)
    assert [v["id"] for v in ok(client.get("/venues", headers=officer(runtime)))["items"]] == \
        [mine["id"]]
    assert len(ok(client.get("/venues", headers=admin(runtime)))["items"]) == 2

    elsewhere = client.post("/venues", headers=officer(runtime), json={
        "name": "Gedung", "address": "Jl. X", "kelurahan_code": "31.75.10.1002", "capacity": 5})
    assert elsewhere.status_code == 403 and elsewhere.json()["field"] == "area"
    for code in ("31.74.06", "31.74.06.9999"):  # a kecamatan; no such kelurahan
        malformed = client.post("/venues", headers=officer(runtime), json={
            "name": "Gedung", "address": "Jl. X", "kelurahan_code": code, "capacity": 5})
        assert malformed.status_code == 422 and malformed.json()["field"] == "kelurahan_code"
    assert count(runtime, Venue) == 2


def test_a_cohort_needs_a_track_of_its_programme_and_a_venue_of_the_callers_area(runtime, client):
    programme = str(uuid.uuid4())
    enrol(runtime, str(uuid.uuid4()), programme)
    add_track(runtime, client, programme)
    venue = add_venue(runtime, client)
    other_venue = ok(client.post("/venues", headers=admin(runtime), json={
        "name": "Panti Sosial", "address": "Cipayung", "kelurahan_code": "31.75.10.1002",
        "capacity": 120}), 201)
    body = {"programme_id": programme, "track_code": "tata-boga", "name": "A",
            "venue_id": venue["id"], "area_code": "31.74.06", "starts_on": "2026-12-01",
            "ends_on": "2026-12-10"}
    headers = officer(runtime)

    for changes, status, field in [
        ({"track_code": "steam-motor"}, 422, "track_code"),
        ({"programme_id": str(uuid.uuid4())}, 422, "programme_id"),
        ({"venue_id": other_venue["id"]}, 404, "venue_id"),
        ({"venue_id": str(uuid.uuid4())}, 404, "venue_id"),
    ]:
        refused = client.post("/cohorts", headers=headers, json={**body, **changes})
        assert (refused.status_code, refused.json()["field"]) == (status, field), changes

    assert count(runtime, Cohort) == 0
    assert count(runtime, outbox, outbox.c.event_type == CohortScheduled.TYPE) == 0
    cohort = ok(client.post("/cohorts", headers=headers, json=body), 201)
    assert (cohort["status"], cohort["track_code"]) == ("planned", "tata-boga")
    assert count(runtime, outbox, outbox.c.event_type == CohortScheduled.TYPE) == 1


def test_a_cohort_never_holds_more_members_than_its_venue_seats(runtime, client):
    run = schedule(runtime, client, 2, sessions=0, start=False, capacity=3)
    extra = [str(uuid.uuid4()) for _ in range(2)]
    for person in extra:
        enrol(runtime, person, run.programme)

    over = client.post(f"/cohorts/{run.cohort}/members", headers=officer(runtime),
                       json={"participant_ids": extra})

    assert over.status_code == 409 and over.json()["field"] == "participant_ids"
    assert over.json()["capacity"] == 3
    roster = ok(client.get("/roster", params={"programme_id": run.programme},
                           headers=officer(runtime)))["items"]
    assert sorted(e["participant_id"] for e in roster if e["cohort_id"]) == sorted(run.people)


def test_an_officer_of_another_area_can_neither_see_nor_add(runtime, client):
    run = schedule(runtime, client, 1, sessions=0, start=False)
    stranger = auth_headers(runtime.settings, "kecamatan_officer", area="31.75.10")
    assert client.get(f"/cohorts/{run.cohort}", headers=stranger).status_code == 404
    assert ok(client.get("/cohorts", headers=stranger))["items"] == []
    assert client.post(f"/cohorts/{run.cohort}/members", headers=stranger,
                       json={"participant_ids": run.people}).status_code == 404
    assert client.get(f"/cohorts/{run.cohort}/sessions", headers=stranger).status_code == 404
    assert ok(client.get("/roster", params={"programme_id": run.programme},
                         headers=stranger))["items"] == []
    assert client.get(f"/cohorts/{run.cohort}").status_code == 401

    # A participant living in another area is not pulled into the cohort by id, and the
    # answer does not reveal their name.
    from_cipayung = str(uuid.uuid4())
    enrol(runtime, from_cipayung, run.programme, kelurahan="31.75.10.1002")
    refused = client.post(f"/cohorts/{run.cohort}/members", headers=officer(runtime),
                          json={"participant_ids": [from_cipayung]})
    assert refused.status_code == 404 and refused.json()["field"] == "participant_ids.0"
    assert "Siti" not in refused.text
    roster = ok(client.get("/roster", params={"programme_id": run.programme},
                           headers=admin(runtime)))["items"]
    assert {e["participant_id"]: e["cohort_id"] for e in roster}[from_cipayung] is None


def test_a_trainer_sees_only_the_cohorts_they_train(runtime, client):
    theirs = schedule(runtime, client, 1, sessions=1, trainer_subject="pelatih-ani")
    other = schedule(runtime, client, 1, sessions=1, trainer_subject="pelatih-budi")
    ani = trainer(runtime, "pelatih-ani")

    assert [c["id"] for c in ok(client.get("/cohorts", headers=ani))["items"]] == [theirs.cohort]
    assert ok(client.get(f"/cohorts/{theirs.cohort}", headers=ani))["id"] == theirs.cohort
    assert client.get(f"/cohorts/{other.cohort}", headers=ani).status_code == 404
    refused = client.put(f"/cohorts/{other.cohort}/sessions/{other.sessions[0]}/attendance",
                         headers=ani, json={"entries": [{"participant_id": other.people[0],
                                                         "status": "present"}]})
    assert refused.status_code == 404
    # Officers filter by trainer; a session's trainer must be a trainer record.
    budi = trainer_record(runtime, client, "pelatih-budi")
    by_trainer = ok(client.get("/cohorts", headers=officer(runtime),
                               params={"trainer_id": budi}))["items"]
    assert [c["id"] for c in by_trainer] == [other.cohort]
    unknown = client.post(f"/cohorts/{other.cohort}/sessions", headers=officer(runtime), json={
        "held_on": "2026-12-05", "starts_at": "09:00", "ends_at": "12:00", "topic": "Higiene",
        "trainer_id": "pelatih-budi"})  # a login subject is not a trainer record
    assert unknown.status_code == 422 and unknown.json()["field"] == "trainer_id"


def test_cohorts_are_listed_by_filter_in_pages(runtime, client):
    runs = [schedule(runtime, client, 1, sessions=0, start=False) for _ in range(3)]
    headers = officer(runtime)
    ok(client.post(f"/cohorts/{runs[0].cohort}/start", headers=headers))
    again = client.post(f"/cohorts/{runs[0].cohort}/start", headers=headers)
    assert again.status_code == 409 and again.json()["field"] == "status"

    seen, cursor = [], None
    while True:
        page = ok(client.get("/cohorts", headers=headers,
                             params={"limit": 2, **({"cursor": cursor} if cursor else {})}))
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(r.cohort for r in runs)
    running = ok(client.get("/cohorts", headers=headers, params={"status": "running"}))["items"]
    assert [c["id"] for c in running] == [runs[0].cohort]
    of_programme = ok(client.get("/cohorts", headers=headers, params={
        "programme_id": runs[1].programme, "track_code": "tata-boga", "area": "31.74.06"}))
    assert [c["id"] for c in of_programme["items"]] == [runs[1].cohort]
    assert ok(client.get("/cohorts", headers=headers, params={"area": "31.75"}))["items"] == []
