"""Rules of issue 6 through the HTTP API: confirmed duplicates take no seat, corrections reach
open applications (and the seat's quota follows the decided rule), null and oversize input is a
422 naming the field, problems in Bahasa by default and English on request."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .helpers import (
    CILANDAK_BARAT,
    LEBAK_BULUS,
    admin,
    application,
    apply,
    born,
    camat_office,
    create_programme,
    expect,
    expect_problem,
    lurah_office,
    outbox_events,
    person,
    register,
    seats,
    sign_up,
    up2k,
    withdraw,
)

postgres_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
EN = {"Accept-Language": "en"}


def confirmed_duplicate(client: TestClient, office: dict[str, str]) -> tuple[str, str]:
    """An original record and a copy an officer confirmed as its duplicate: (original, copy)."""
    birthday = date(1981, 6, 9)
    original = register(client, office, person("Siti Aminah", birth_date=birthday))
    copy = expect(client.post("/participants", headers=office,
                              json=person("Hj. Siti Aminah", birth_date=birthday)), 201)
    return original["id"], copy["participant"]["id"]


def decide(client: TestClient, office: dict[str, str], participant_id: str) -> None:
    flags = expect(client.get("/duplicates", headers=office), 200)
    flag = next(f for f in flags if f["participant_id"] == participant_id)
    expect(client.post(f"/duplicates/{flag['id']}/decision", headers=office,
                       json={"decision": "duplicate"}), 200)


# -- confirmed duplicates --------------------------------------------------------------------

def test_a_duplicate_confirmed_after_applying_cannot_be_verified(client):
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    original, copy = confirmed_duplicate(client, office)
    pending = apply(client, office, copy, programme["id"])
    decide(client, office, copy)

    refused = expect_problem(client.post(f"/applications/{pending['id']}/verify", headers=office),
                             409, "participant_id")
    assert "duplikat" in refused["detail"] and refused["duplicate_of"] == original
    english = expect_problem(client.post(f"/applications/{pending['id']}/verify",
                                         headers={**office, **EN}), 409, "participant_id")
    assert "duplicate" in english["detail"]
    assert application(client, pending["id"])["status"] == "applied"
    assert seats(client, programme["id"])["*"][0] == 0


def test_a_freed_seat_passes_over_a_confirmed_duplicate_to_the_next_in_line(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k(total_capacity=1, kelurahan_quota=None))
    holder = sign_up(client, office, person("Kader Pemegang", birth_date=born(1)), programme["id"])
    _, copy = confirmed_duplicate(client, office)
    first = apply(client, office, copy, programme["id"])
    first = expect(client.post(f"/applications/{first['id']}/verify", headers=office), 200)
    second = sign_up(client, office, person("Kader Berikut", birth_date=born(2)), programme["id"])
    assert (first["status"], second["status"]) == ("waitlisted", "waitlisted")
    decide(client, office, copy)  # confirmed while waiting in line

    withdraw(client, office, holder["id"])

    assert application(client, first["id"])["status"] == "waitlisted"
    assert application(client, second["id"])["status"] == "enrolled"
    enrolled = {e["data"]["application_id"] for e in outbox_events(runtime, "participant_enrolled")}
    assert first["id"] not in enrolled and second["id"] in enrolled


# -- corrections reach applications -----------------------------------------------------------

def move(client: TestClient, participant_id: str, **changes: Any) -> dict[str, Any]:
    return expect(client.patch(f"/participants/{participant_id}", headers=camat_office(client),
                               json=changes), 200)


def test_a_move_and_a_new_name_reach_open_applications_and_the_seat_moves_when_there_is_room(
        runtime, client):
    old, new = lurah_office(client, CILANDAK_BARAT), lurah_office(client, LEBAK_BULUS)
    programme = create_programme(client, up2k(kelurahan_quota=1))
    other = create_programme(client, up2k())
    mover = sign_up(client, old, person("Nur Aini", birth_date=born(1)), programme["id"])
    waiting = sign_up(client, old, person("Kader Menunggu", birth_date=born(2)), programme["id"])
    applied = apply(client, old, mover["participant_id"], other["id"])
    assert (mover["status"], waiting["status"]) == ("enrolled", "waitlisted")

    move(client, mover["participant_id"], full_name="Nur Aini Rahmawati", kelurahan_code=LEBAK_BULUS)

    for app in (mover, applied):
        expect_problem(client.get(f"/applications/{app['id']}", headers=old), 404)
        moved = expect(client.get(f"/applications/{app['id']}", headers=new), 200)
        assert (moved["kelurahan_code"], moved["full_name"]) == (LEBAK_BULUS, "Nur Aini Rahmawati")
    listed = expect(client.get("/applications", headers=new, params={"q": "Rahmawati"}), 200)
    assert {a["id"] for a in listed["items"]} == {mover["id"], applied["id"]}
    # The seat moved with her (Lebak Bulus had room); Cilandak Barat's freed seat was backfilled.
    assert seats(client, programme["id"]) == {"*": (2, 100), CILANDAK_BARAT: (1, 1),
                                              LEBAK_BULUS: (1, 1)}
    assert application(client, waiting["id"])["status"] == "enrolled"
    # Later events carry the new area.
    expect(client.post(f"/applications/{applied['id']}/verify", headers=new), 200)
    withdraw(client, new, mover["id"])
    later = [e["data"] for e in outbox_events(runtime)
             if e["data"].get("application_id") in (mover["id"], applied["id"])][-2:]
    assert [e["kelurahan_code"] for e in later] == [LEBAK_BULUS, LEBAK_BULUS]


def test_a_seat_stays_counted_where_it_was_taken_when_the_new_kelurahan_is_full(client):
    old, new = lurah_office(client, CILANDAK_BARAT), lurah_office(client, LEBAK_BULUS)
    programme = create_programme(client, up2k(kelurahan_quota=1))
    mover = sign_up(client, old, person("Nur Aini", birth_date=born(1)), programme["id"])
    sign_up(client, new, person("Kader Lebak Bulus", kelurahan=LEBAK_BULUS, birth_date=born(2)),
            programme["id"])
    waiting = sign_up(client, old, person("Kader Menunggu", birth_date=born(3)), programme["id"])

    move(client, mover["participant_id"], kelurahan_code=LEBAK_BULUS)

    assert application(client, mover["id"])["kelurahan_code"] == LEBAK_BULUS
    assert seats(client, programme["id"]) == {"*": (2, 100), CILANDAK_BARAT: (1, 1),
                                              LEBAK_BULUS: (1, 1)}
    assert application(client, waiting["id"])["status"] == "waitlisted"
    # Her withdrawal frees the seat where it was counted: Cilandak Barat's line moves up.
    withdraw(client, new, mover["id"])
    assert seats(client, programme["id"]) == {"*": (2, 100), CILANDAK_BARAT: (1, 1),
                                              LEBAK_BULUS: (1, 1)}
    assert application(client, waiting["id"])["status"] == "enrolled"


# -- null and oversize input ------------------------------------------------------------------

NOT_NULLABLE = ["full_name", "nik", "kk_number", "birth_date", "gender", "address", "rt", "rw",
                "kelurahan_code", "dtks_listed", "pkk_cadre"]


def test_null_for_a_field_that_always_has_a_value_is_a_422_naming_it(client):
    office = lurah_office(client)
    someone = register(client, office, person("Wulan Sari", dtks=True))
    for field in NOT_NULLABLE:
        refused = expect_problem(client.patch(f"/participants/{someone['id']}", headers=office,
                                              json={field: None}), 422, field)
        assert refused["detail"] == f"{field}: wajib diisi"
    record = expect(client.get(f"/participants/{someone['id']}", headers=office), 200)
    assert record["dtks_listed"] is True and record["full_name"] == "Wulan Sari"
    cleared = expect(client.patch(f"/participants/{someone['id']}", headers=office,
                                  json={"phone": None, "baseline_monthly_income": None}), 200)
    assert cleared["phone"] is None


BIG = 2**31  # one past PostgreSQL's INTEGER


def oversize_cases(client: TestClient) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, body, field named in the 422) for every bounded integer and string."""
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    someone = register(client, office, person("Kartini Dewi"))
    pending = apply(client, office, someone["id"], programme["id"])
    cases: list[tuple[str, str, dict[str, Any], str]] = []
    for field, value in [("code", "C" * 61), ("name", "n" * 201), ("kind", "k" * 41),
                         ("total_capacity", BIG), ("kelurahan_quota", BIG),
                         ("quotas", {CILANDAK_BARAT: BIG}), ("tracks", ["t" * 61])]:
        named = {"quotas": f"quotas.{CILANDAK_BARAT}", "tracks": "tracks.0"}.get(field, field)
        cases.append(("POST", "/programmes", up2k(**{field: value}), named))
    strings = {"full_name": 201, "nik": 41, "kk_number": 41, "phone": 31, "address": 301,
               "rt": 7, "rw": 7, "baseline_business": 201}
    for field, length in strings.items():
        cases.append(("POST", "/participants", {**person("Oversize"), field: "1" * length}, field))
        cases.append(("PATCH", f"/participants/{someone['id']}", {field: "1" * length}, field))
    cases.append(("POST", "/participants", person("Oversize", baseline_monthly_income=BIG),
                  "baseline_monthly_income"))
    cases.append(("PATCH", f"/participants/{someone['id']}", {"baseline_monthly_income": BIG},
                  "baseline_monthly_income"))
    for field, value in [("participant_id", "p" * 37), ("programme_id", "p" * 37),
                         ("track", "t" * 61)]:
        body = {"participant_id": someone["id"], "programme_id": programme["id"], field: value}
        cases.append(("POST", "/applications", body, field))
    for action in ("reject", "withdraw"):
        cases.append(("POST", f"/applications/{pending['id']}/{action}", {"reason": "r" * 501},
                      "reason"))
    return cases


@postgres_only
def test_every_oversize_integer_and_string_is_a_422_naming_the_field(client):
    wrong = []
    for method, path, body, field in oversize_cases(client):
        response = client.request(method, path, json=body, headers=admin(client))
        named = response.json().get("field") if response.status_code == 422 else None
        if named != field:
            wrong.append((method, path, field, response.status_code, response.text[:200]))
    assert wrong == []


# -- Bahasa by default, English on request ----------------------------------------------------

def test_a_problem_is_in_bahasa_by_default_and_in_english_on_request(client):
    office = lurah_office(client)
    programme = create_programme(client, up2k(total_capacity=1, kelurahan_quota=None))
    decided = sign_up(client, office, person("Ratna Sari"), programme["id"])
    path = f"/applications/{decided['id']}/verify"

    bahasa = client.post(path, headers=office)
    body = expect_problem(bahasa, 409, "status")
    assert bahasa.headers["content-language"] == "id"
    assert body["title"] == "Konflik"
    assert body["detail"] == ("Permohonan yang sudah terdaftar sebagai peserta tidak dapat "
                              "diverifikasi (hanya permohonan yang menunggu verifikasi).")

    english = client.post(path, headers={**office, **EN})
    body = expect_problem(english, 409, "status")
    assert english.headers["content-language"] == "en"
    assert body["title"] == "Conflict"
    assert body["detail"] == ("An application that is enrolled cannot be verified "
                              "(only one awaiting verification can).")

    missing = expect_problem(client.get("/applications/no-such-id", headers=office), 404,
                             "application_id")
    assert missing["detail"] == "Permohonan ini tidak ada di wilayah Anda."
    bad_nik = expect_problem(client.post("/participants", headers={**office, **EN}, json=person(
        "Ratna Dewi", nik="3174069903850007")), 422, "nik")
    assert "not a possible birth date" in bad_nik["detail"]
