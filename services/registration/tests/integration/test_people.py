"""People through the HTTP API: identity checks, duplicates, corrections, paged lists."""

import base64
import json
from datetime import date

from registration.adapters.tables import Application, Household, Participant

from .helpers import (
    LEBAK_BULUS,
    admin,
    all_participants,
    apply,
    born,
    count,
    create_programme,
    expect,
    expect_problem,
    lurah_office,
    outbox_events,
    person,
    register,
    up2k,
)


def test_bad_nik_or_kk_is_refused_naming_the_field_and_nothing_is_stored(runtime, client):
    office = lurah_office(client)
    good = person("Siti Aminah", gender="F", birth_date=date(1984, 10, 15))
    cases = [
        ("nik", "15 digits", {"nik": good["nik"][:15]}),
        ("nik", "birth date other than the NIK's", {"birth_date": "1984-10-16"}),
        ("nik", "a woman's day (+40) for a man", {"gender": "M"}),
        ("nik", "unknown province", {"nik": "99" + good["nik"][2:]}),
        ("kk_number", "all zeros", {"kk_number": "0" * 16}),
    ]
    for field, why, change in cases:
        response = client.post("/participants", headers=office, json={**good, **change})
        problem = expect_problem(response, 422, field)
        assert problem["errors"][0]["field"] == field, why
        assert good["nik"] not in response.text and good["kk_number"] not in response.text, why

    assert all_participants(client, admin(client)) == []
    assert (count(runtime, Participant), count(runtime, Household)) == (0, 0)
    assert outbox_events(runtime) == []


def test_a_nik_registers_once_and_a_person_applies_once_per_programme(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    body = person("Siti Aminah")
    siti = register(client, office, body)

    again = client.post("/participants", headers=office,
                        json={**body, "full_name": "Sity Aminah", "phone": "081311112222"})
    assert expect_problem(again, 409, "nik")["participant_id"] == siti["id"]
    # Another kelurahan's officer learns the NIK is taken, not who holds it or where.
    elsewhere = client.post("/participants", headers=lurah_office(client, LEBAK_BULUS),
                            json={**body, "kelurahan_code": LEBAK_BULUS})
    assert "participant_id" not in expect_problem(elsewhere, 409, "nik")
    assert [p["id"] for p in all_participants(client, admin(client))] == [siti["id"]]

    applied = apply(client, office, siti["id"], programme["id"])
    twice = client.post("/applications", headers=office,
                        json={"participant_id": siti["id"], "programme_id": programme["id"]})
    expect_problem(twice, 409, "participant_id")
    listed = expect(client.get("/applications", headers=office,
                               params={"programme_id": programme["id"]}), 200)["items"]
    assert [a["id"] for a in listed] == [applied["id"]]
    assert count(runtime, Application) == 1
    assert len(outbox_events(runtime, "participant_registered")) == 1
    assert len(outbox_events(runtime, "application_submitted")) == 1


def test_a_probable_duplicate_is_flagged_for_the_officer_and_never_merged(runtime, client):
    office = lurah_office(client)
    birthday = date(1979, 3, 2)
    siti = register(client, office, person("Siti Aminah", birth_date=birthday))
    register(client, office, person("Nur Hasanah", birth_date=birthday))  # same day, other name
    register(client, admin(client), person("Siti Aminah", birth_date=birthday,
                                           kelurahan=LEBAK_BULUS))  # same name, other kelurahan

    response = expect(client.post("/participants", headers=office,
                                  json=person("Hj. Siti Aminah", birth_date=birthday)), 201)
    hajah = response["participant"]
    assert [(f["participant_id"], f["candidate_id"], f["status"])
            for f in response["possible_duplicates"]] == [(hajah["id"], siti["id"], "open")]
    flag = response["possible_duplicates"][0]
    assert expect(client.get("/duplicates", headers=office), 200) == [flag]

    decided = expect(client.post(f"/duplicates/{flag['id']}/decision", headers=office,
                                 json={"decision": "duplicate"}), 200)
    assert (decided["status"], decided["reviewed_by"]) == ("duplicate", "kelurahan_officer:31.74.06.1001")
    assert decided["reviewed_at"] is not None
    assert expect(client.get("/duplicates", headers=office), 200) == []
    assert [f["id"] for f in expect(client.get("/duplicates", headers=office,
                                               params={"status": "duplicate"}), 200)] == [flag["id"]]
    expect_problem(client.post(f"/duplicates/{flag['id']}/decision", headers=office,
                               json={"decision": "not_duplicate"}), 409, "decision")
    expect_problem(client.post(f"/duplicates/{flag['id']}/decision", headers=office,
                               json={"decision": "merge"}), 422, "decision")

    # Never merged: both records are still there, each with its own NIK.
    for someone in (siti, hajah):
        record = expect(client.get(f"/participants/{someone['id']}", headers=office), 200)
        assert record["nik"] == someone["nik"]
    assert count(runtime, Participant) == 4


def test_corrections_keep_an_audit_trail_and_events_carry_no_nik_or_kk(runtime, client):
    office = lurah_office(client)
    body = person("Dewi Lestari", phone="0812-3456-7890", address="Jl. Haji Nawi No. 3")
    dewi = register(client, office, body)

    corrected = expect(client.patch(f"/participants/{dewi['id']}", headers=office, json={
        "phone": "0813 9876 5432", "address": "Jl. Kramat Gg. Melati No. 7"}), 200)
    assert (corrected["phone"], corrected["address"]) == ("+6281398765432", "Jl. Kramat Gg. Melati No. 7")
    history = expect(client.get(f"/participants/{dewi['id']}/history", headers=office), 200)
    assert sorted((h["field"], h["old_value"], h["new_value"], h["changed_by"]) for h in history) == [
        ("address", "Jl. Haji Nawi No. 3", "Jl. Kramat Gg. Melati No. 7", "kelurahan_officer:31.74.06.1001"),
        ("phone", "+6281234567890", "+6281398765432", "kelurahan_officer:31.74.06.1001")]
    assert all(h["changed_at"] for h in history)

    # Sending the same values again, or a bad phone, changes nothing and records nothing.
    expect(client.patch(f"/participants/{dewi['id']}", headers=office, json={"phone": "+6281398765432"}), 200)
    expect_problem(client.patch(f"/participants/{dewi['id']}", headers=office, json={"phone": "12"}),
                   422, "phone")
    assert len(expect(client.get(f"/participants/{dewi['id']}/history", headers=office), 200)) == 2

    # A corrected NIK and KK are audited in registration but never travel in an event.
    fixed = person("Dewi Lestari", birth_date=date(1984, 10, 15))
    expect(client.patch(f"/participants/{dewi['id']}", headers=office,
                        json={"nik": fixed["nik"], "kk_number": fixed["kk_number"]}), 200)
    history = expect(client.get(f"/participants/{dewi['id']}/history", headers=office), 200)
    assert {h["field"] for h in history} == {"phone", "address", "nik", "kk_number"}

    updates = outbox_events(runtime, "participant_updated")
    assert [sorted(e["data"]["changed_fields"]) for e in updates] == [["address", "phone"],
                                                                        ["kk_number", "nik"]]
    assert updates[0]["data"]["phone"] == "+6281398765432" and updates[0]["subject"] == dewi["id"]
    secrets = [body["nik"], body["kk_number"], fixed["nik"], fixed["kk_number"]]
    for event in outbox_events(runtime):
        assert not [s for s in secrets if s in json.dumps(event)], event["type"]


def test_participant_list_pages_by_name_without_gaps_and_searches_by_name(client):
    office = lurah_office(client)
    names = ["Gita Permata", "Aisyah Putri", "Dewi Lestari", "Fitri Handayani", "Dewi Lestari",
             "Bambang Sutrisno", "Eka Saputra"]
    created = [register(client, office, person(name, birth_date=born(i),
                                                gender="M" if name.startswith(("Bambang", "Eka")) else "F"))
               for i, name in enumerate(names)]

    pages, cursor = [], None
    while True:
        page = expect(client.get("/participants", headers=office,
                                 params={"limit": 3, **({"cursor": cursor} if cursor else {})}), 200)
        pages.append([p["id"] for p in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None or len(pages) > 5:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    expected = [p["id"] for p in sorted(created, key=lambda p: (p["full_name"], p["id"]))]
    assert [i for page in pages for i in page] == expected  # the two Dewis straddle pages 1-2

    found = expect(client.get("/participants", headers=office, params={"q": "dewi"}), 200)
    assert [p["full_name"] for p in found["items"]] == ["Dewi Lestari", "Dewi Lestari"]
    found = expect(client.get("/participants", headers=office, params={"q": " SAPUTRA "}), 200)
    assert [p["full_name"] for p in found["items"]] == ["Eka Saputra"]
    assert "nik" not in found["items"][0]  # lists never show NIK

    for garbage in ("not-a-cursor", base64.urlsafe_b64encode(b'{"a": 1}').decode()):
        expect_problem(client.get("/participants", headers=office, params={"cursor": garbage}),
                       422, "cursor")


def test_a_household_correction_reaches_every_member_of_the_family(runtime, client):
    office = lurah_office(client)
    mother = person("Sri Wahyuni", birth_date=born(1))
    daughter = {**person("Ayu Lestari", birth_date=born(40)), "kk_number": mother["kk_number"],
                "address": mother["address"], "rt": mother["rt"], "rw": mother["rw"]}
    mum, kid = register(client, office, mother), register(client, office, daughter)
    expect(client.patch(f"/participants/{mum['id']}", headers=office,
                        json={"address": "Jl. Kenanga No. 8", "dtks_listed": False}), 200)
    record = expect(client.get(f"/participants/{kid['id']}", headers=office), 200)
    assert (record["address"], record["dtks_listed"]) == ("Jl. Kenanga No. 8", False)
    history = expect(client.get(f"/participants/{kid['id']}/history", headers=office), 200)
    assert {h["field"] for h in history} == {"address", "dtks_listed"}
    updated = [e["data"] for e in outbox_events(runtime, "participant_updated")]
    assert {u["participant_id"] for u in updated} == {mum["id"], kid["id"]}


def test_a_record_confirmed_as_a_duplicate_cannot_apply(client):
    office = lurah_office(client)
    birthday = date(1981, 6, 9)
    register(client, office, person("Siti Aminah", birth_date=birthday))
    copy = expect(client.post("/participants", headers=office,
                              json=person("Hj. Siti Aminah", birth_date=birthday)), 201)
    flag = copy["possible_duplicates"][0]
    expect(client.post(f"/duplicates/{flag['id']}/decision", headers=office,
                       json={"decision": "duplicate"}), 200)
    programme = create_programme(client, up2k())
    refused = expect_problem(client.post("/applications", headers=office, json={
        "participant_id": copy["participant"]["id"], "programme_id": programme["id"]}),
        409, "participant_id")
    assert refused["duplicate_of"] == flag["candidate_id"]
