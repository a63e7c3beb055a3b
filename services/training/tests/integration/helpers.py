"""Building blocks for training's integration tests: enrolments as registration announces
them, and a cohort scheduled through the API as officers would."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import ParticipantEnrolled
from berdaya_shared.testing import auth_headers
from training.messaging import incoming
from training.service_layer import people

CILANDAK_BARAT = "31.74.06.1001"
TATA_BOGA = {"code": "tata-boga", "name": "Tata Boga", "hours": 40, "kit_type": "alat masak set",
             "kit_items": ["kompor gas 2 tungku", "wajan", "panci set"],
             "min_attendance_share": 0.75, "min_score": 70}


def enrol(runtime: Any, participant_id: str, programme_id: str,
          kelurahan: str = CILANDAK_BARAT) -> None:
    enrol_many(runtime, [participant_id], programme_id, kelurahan)


def enrol_many(runtime: Any, people: list[str], programme_id: str,
               kelurahan: str = CILANDAK_BARAT) -> None:
    """Deliver one ParticipantEnrolled per person, as one run (one transaction for all)."""
    events = [new_event(ParticipantEnrolled(**{
        **ParticipantEnrolled.EXAMPLE, "participant_id": person, "programme_id": programme_id,
        "kelurahan_code": kelurahan, "kecamatan_code": kelurahan[:8], "kota_code": kelurahan[:5]}),
        subject=person, source="test") for person in people]
    with transaction(runtime.sessions) as session:
        incoming.on_participants_enrolled(session, events)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def admin(runtime: Any) -> dict[str, str]:
    return auth_headers(runtime.settings, "city_admin", subject="admin-dki")


def officer(runtime: Any, area: str = "31.74.06", subject: str = "camat-cilandak") -> dict[str, str]:
    return auth_headers(runtime.settings, "kecamatan_officer", area=area, subject=subject)


def trainer(runtime: Any, subject: str, area: str = "31.74.06") -> dict[str, str]:
    return auth_headers(runtime.settings, "trainer", area=area, subject=subject)


@dataclass
class Scheduled:
    programme: str
    cohort: str
    venue: str
    people: list[str]
    sessions: list[str] = field(default_factory=list)


def add_track(runtime: Any, client: Any, programme: str, **changes: Any) -> dict[str, Any]:
    return ok(client.post(f"/programmes/{programme}/tracks", headers=admin(runtime),
                          json={**TATA_BOGA, **changes}), 201)


def add_venue(runtime: Any, client: Any, *, capacity: int = 40,
              kelurahan: str = CILANDAK_BARAT) -> dict[str, Any]:
    return ok(client.post("/venues", headers=officer(runtime), json={
        "name": "Kantor Kecamatan Cilandak", "address": "Jl. Rs. Fatmawati No. 1",
        "kelurahan_code": kelurahan, "capacity": capacity}), 201)


def trainer_record(runtime: Any, client: Any, subject: str) -> str:
    """The id of the trainer whose login subject is ``subject`` (recorded on first use)."""
    with transaction(runtime.sessions) as session:
        person = people.get_by_subject(session=session, subject=subject)
        if person is not None:
            return person.id
    return str(ok(client.post("/people", headers=officer(runtime), json={
        "kind": "trainer", "full_name": f"Pelatih {subject}", "organisation": "Sudin PE",
        "phone": "0812-1111-2222", "area_code": "31.74.06", "user_subject": subject}),
        201)["id"])


def schedule(runtime: Any, client: Any, people: list[str] | int, *, sessions: int = 2,
             capacity: int = 40, start: bool = True, programme: str | None = None,
             trainer_subject: str = "pelatih-1", track: dict[str, Any] | None = None) -> Scheduled:
    """Enrol ``people`` (or that many new ones), give the programme a track and a venue,
    schedule a cohort with them as members and ``sessions`` sessions taught by the trainer
    who logs in as ``trainer_subject``, and start it."""
    members = [str(uuid.uuid4()) for _ in range(people)] if isinstance(people, int) else people
    programme = programme or str(uuid.uuid4())
    enrol_many(runtime, members, programme)
    add_track(runtime, client, programme, **(track or {}))
    venue = add_venue(runtime, client, capacity=capacity)
    headers = officer(runtime)
    cohort = ok(client.post("/cohorts", headers=headers, json={
        "programme_id": programme, "track_code": (track or TATA_BOGA).get("code", "tata-boga"),
        "name": "Tata Boga angkatan 1", "venue_id": venue["id"], "area_code": "31.74.06",
        "starts_on": "2026-12-01", "ends_on": "2026-12-10"}), 201)["id"]
    for i in range(0, len(members), 500):
        ok(client.post(f"/cohorts/{cohort}/members", headers=headers,
                       json={"participant_ids": members[i:i + 500]}))
    scheduled = Scheduled(programme=programme, cohort=cohort, venue=venue["id"], people=members)
    trainer_id = trainer_record(runtime, client, trainer_subject) if sessions else ""
    for day in range(sessions):
        scheduled.sessions.append(ok(client.post(f"/cohorts/{cohort}/sessions", headers=headers,
                                                 json={"held_on": f"2026-12-0{day + 1}",
                                                       "starts_at": "09:00", "ends_at": "12:00",
                                                       "topic": f"Materi {day + 1}",
                                                       "trainer_id": trainer_id}), 201)["id"])
    if start:
        ok(client.post(f"/cohorts/{cohort}/start", headers=headers))
    return scheduled


def sheet(statuses: dict[str, str]) -> dict[str, Any]:
    return {"entries": [{"participant_id": p, "status": s} for p, s in statuses.items()]}
