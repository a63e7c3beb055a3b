"""Building blocks for the people, mentor and kit tests: enrolments as registration announces
them, a graduate (the roster entry as graduation leaves it), and officers' headers."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from berdaya_shared.db import transaction
from berdaya_shared.testing import auth_headers
from training.adapters.tables import RosterEntry
from training.domain.model import RosterStatus

from .helpers import CILANDAK_BARAT
from .helpers import enrol_many as enrol

CILANDAK = "31.74.06"
LEBAK_BULUS = "31.74.06.1002"
CIPAYUNG = "31.75.10"
CIPAYUNG_KELURAHAN = "31.75.10.1001"


def graduates(runtime: Any, count: int, programme_id: str,
              kelurahan: str = CILANDAK_BARAT) -> list[str]:
    """Enrolled participants whose roster entries read "graduated", as a closed cohort leaves
    them (the cohort flow itself is tested with cohorts)."""
    people = [str(uuid.uuid4()) for _ in range(count)]
    enrol(runtime, people, programme_id, kelurahan)
    with transaction(runtime.sessions) as session:
        for entry in session.exec(select(RosterEntry).where(
                RosterEntry.programme_id == programme_id)).all():
            entry.status, entry.graduated_at = RosterStatus.GRADUATED, datetime.now(UTC)
            session.add(entry)
    return people


def track_graduate(runtime: Any, client: Any, programme: str) -> str:
    """A graduate of a tata boga cohort (track, venue and cohort made through the API as
    officers do), whose track hands out "alat masak set"."""
    person = str(uuid.uuid4())
    enrol(runtime, [person], programme)
    admin = auth_headers(runtime.settings, "city_admin", subject="admin-dki")
    ok(client.post(f"/programmes/{programme}/tracks", headers=admin, json={
        "code": "tata-boga", "name": "Tata Boga", "hours": 40, "kit_type": "alat masak set",
        "kit_items": ["kompor gas 2 tungku", "wajan", "panci set"],
        "min_attendance_share": 0.75, "min_score": 70}), 201)
    camat = officer(runtime)
    venue = ok(client.post("/venues", headers=camat, json={
        "name": "Kantor Kecamatan Cilandak", "address": "Jl. Rs. Fatmawati No. 1",
        "kelurahan_code": CILANDAK_BARAT, "capacity": 40}), 201)
    cohort = ok(client.post("/cohorts", headers=camat, json={
        "programme_id": programme, "track_code": "tata-boga", "name": "Tata Boga angkatan 1",
        "venue_id": venue["id"], "area_code": CILANDAK, "starts_on": "2026-12-01",
        "ends_on": "2026-12-10"}), 201)
    ok(client.post(f"/cohorts/{cohort['id']}/members", headers=camat,
                   json={"participant_ids": [person]}))
    with transaction(runtime.sessions) as session:
        entry = session.exec(select(RosterEntry).where(RosterEntry.participant_id == person)).one()
        entry.status, entry.graduated_at = RosterStatus.GRADUATED, datetime.now(UTC)
        session.add(entry)
    return person


def officer(runtime: Any, area: str = CILANDAK, subject: str = "camat-cilandak",
            role: str = "kecamatan_officer") -> dict[str, str]:
    return auth_headers(runtime.settings, role, area=area, subject=subject)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def mentor_body(**changes: Any) -> dict[str, Any]:
    return {"kind": "mentor", "full_name": "Dewi Lestari", "organisation": "OK OCE",
            "phone": "0812-3456-7890", "area_code": CILANDAK, **changes}
