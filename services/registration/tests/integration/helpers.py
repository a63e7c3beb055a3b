"""People, programmes and calls an officer makes, shared by the integration tests."""

import itertools
import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.testing import auth_headers
from registration.adapters.tables import outbox
from registration.domain.identity import make_nik

CILANDAK = "31.74.06"
CILANDAK_BARAT, LEBAK_BULUS, PONDOK_LABU = "31.74.06.1001", "31.74.06.1002", "31.74.06.1003"
JAKARTA_TIMUR, CIPAYUNG = "31.75", "31.75.10"
KEL_CIPAYUNG, KEL_CEGER = "31.75.10.1001", "31.75.10.1008"
PROBLEM_JSON = "application/problem+json"

# Tests where the store does not change the behaviour run on SQLite only.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

_serials = itertools.count(1)


def born(index: int, first: date = date(1975, 1, 1)) -> date:
    """A different adult birthday for each index (so only chosen people look like duplicates)."""
    return first + timedelta(days=37 * index)


def person(full_name: str, *, kelurahan: str = CILANDAK_BARAT, gender: str = "F",
           birth_date: date = date(1984, 10, 15), dtks: bool = True, cadre: bool = True,
           **extra: Any) -> dict[str, Any]:
    """A POST /participants body with a valid NIK and KK for the kelurahan's kecamatan."""
    region, serial = kelurahan[:8], next(_serials)
    return {"full_name": full_name, "nik": make_nik(region, birth_date, gender, serial),
            "kk_number": make_nik(region, date(2015, 1, 1), "M", serial),
            "birth_date": birth_date.isoformat(), "gender": gender,
            "phone": f"0812{serial:08d}", "address": f"Jl. Haji Nawi No. {serial}",
            "rt": "003", "rw": "005", "kelurahan_code": kelurahan, "dtks_listed": dtks,
            "pkk_cadre": cadre, **extra}


def _window() -> dict[str, str]:
    today = today_in_jakarta()
    return {"intake_opens_on": (today - timedelta(days=14)).isoformat(),
            "intake_closes_on": (today + timedelta(days=14)).isoformat()}


def _code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6].upper()}"


def uep(**overrides: Any) -> dict[str, Any]:
    """UEP Jakarta Timur: poor (DTKS) working-age residents of the kota."""
    return {"code": _code("UEP-JT"), "name": "Pelatihan UEP bagi Keluarga Miskin Jakarta Timur",
            "kind": "UEP", "target_area_code": JAKARTA_TIMUR, **_window(), "total_capacity": 485,
            "tracks": ["tata-boga", "kue-basah", "steam-motor", "minuman-jus"],
            "eligibility_rules": [{"kind": "dtks_listed"},
                                  {"kind": "age_between", "min": 18, "max": 64},
                                  {"kind": "resides_in", "area_codes": [JAKARTA_TIMUR]}],
            **overrides}


def up2k(**overrides: Any) -> dict[str, Any]:
    """UP2K Kecamatan Cilandak: women PKK cadres, 20 seats per kelurahan."""
    return {"code": _code("UP2K-CLD"), "name": "UP2K Kecamatan Cilandak", "kind": "UP2K",
            "target_area_code": CILANDAK, **_window(), "total_capacity": 100,
            "kelurahan_quota": 20,
            "eligibility_rules": [{"kind": "pkk_cadre"},
                                  {"kind": "resides_in", "area_codes": [CILANDAK]},
                                  {"kind": "gender", "value": "F"}],
            **overrides}


# -- who is calling ---------------------------------------------------------------------------

def headers(client: TestClient, role: str, area: str, subject: str | None = None) -> dict[str, str]:
    return auth_headers(client.app.state.settings, role, area=area,
                        subject=subject or f"{role}:{area}")


def admin(client: TestClient) -> dict[str, str]:
    return headers(client, "city_admin", "31", "admin.kota")


def lurah_office(client: TestClient, kelurahan: str = CILANDAK_BARAT) -> dict[str, str]:
    return headers(client, "kelurahan_officer", kelurahan)


def camat_office(client: TestClient, kecamatan: str = CILANDAK) -> dict[str, str]:
    return headers(client, "kecamatan_officer", kecamatan)


# -- what they do -----------------------------------------------------------------------------

def expect(response: Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


def expect_problem(response: Response, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    if field is not None:
        assert body["field"] == field, body
    return body


def create_programme(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    return expect(client.post("/programmes", json=body, headers=admin(client)), 201)


def register(client: TestClient, who: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    return expect(client.post("/participants", json=body, headers=who), 201)["participant"]


def apply(client: TestClient, who: dict[str, str], participant_id: str, programme_id: str,
          track: str | None = None) -> dict[str, Any]:
    return expect(client.post("/applications", headers=who, json={
        "participant_id": participant_id, "programme_id": programme_id, "track": track}), 201)


def verify(client: TestClient, who: dict[str, str], application_id: str) -> dict[str, Any]:
    return expect(client.post(f"/applications/{application_id}/verify", headers=who), 200)


def withdraw(client: TestClient, who: dict[str, str], application_id: str,
             reason: str = "pindah domisili ke luar Jakarta") -> dict[str, Any]:
    return expect(client.post(f"/applications/{application_id}/withdraw", headers=who,
                              json={"reason": reason}), 200)


def sign_up(client: TestClient, who: dict[str, str], body: dict[str, Any], programme_id: str,
            track: str | None = None) -> dict[str, Any]:
    """Register, apply and verify one person; returns the decided application."""
    participant = register(client, who, body)
    application = apply(client, who, participant["id"], programme_id, track)
    return verify(client, who, application["id"])


def application(client: TestClient, application_id: str) -> dict[str, Any]:
    return expect(client.get(f"/applications/{application_id}", headers=admin(client)), 200)


def seats(client: TestClient, programme_id: str) -> dict[str, tuple[int, int]]:
    """{scope: (taken, capacity)} as an admin sees it on the programme."""
    body = expect(client.get(f"/programmes/{programme_id}", headers=admin(client)), 200)
    return {s["scope"]: (s["taken"], s["capacity"]) for s in body["seats"]}


def all_participants(client: TestClient, who: dict[str, str]) -> list[dict[str, Any]]:
    return expect(client.get("/participants", headers=who, params={"limit": 500}), 200)["items"]


# -- what the store holds ---------------------------------------------------------------------

def outbox_events(runtime: Any, event_type: str | None = None) -> list[dict[str, Any]]:
    """The envelopes waiting in (or published from) the outbox, oldest first."""
    query = select(outbox.c.event_type, outbox.c.body).order_by(outbox.c.seq)
    if event_type:
        query = query.where(outbox.c.event_type == f"registration.{event_type}.v1")
    with runtime.engine.connect() as conn:
        return [json.loads(row.body) for row in conn.execute(query)]


def count(runtime: Any, table: Any) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()
