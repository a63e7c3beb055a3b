"""Eligibility per programme, seats per kelurahan, and the order of the waiting list."""

import re
from datetime import date, timedelta

from berdaya_shared.clock import today_in_jakarta

from .helpers import (
    CILANDAK_BARAT,
    KEL_CEGER,
    KEL_CIPAYUNG,
    LEBAK_BULUS,
    admin,
    application,
    apply,
    born,
    create_programme,
    expect_problem,
    lurah_office,
    outbox_events,
    person,
    register,
    seats,
    sign_up,
    sqlite_only,
    uep,
    up2k,
    withdraw,
)


@sqlite_only
def test_each_programme_enrols_only_the_people_its_rules_allow(runtime, client):
    city = admin(client)
    uep_jt, up2k_cld = create_programme(client, uep()), create_programme(client, up2k())
    cases = [  # programme, applicant, status, reasons the officer reads (patterns)
        (uep_jt, person("Sri Wahyuni", kelurahan=KEL_CIPAYUNG, cadre=False,
                        birth_date=date(1980, 4, 5)), "enrolled", []),
        (uep_jt, person("Slamet Riyadi", kelurahan=KEL_CEGER, gender="M", dtks=False, cadre=False,
                        birth_date=date(1950, 4, 5)), "rejected",
         [r"Rumah tangga tidak terdaftar di DTKS", r"Usia \d+ tahun, di luar rentang 18-64 tahun"]),
        (uep_jt, person("Rina Marlina", kelurahan=CILANDAK_BARAT), "rejected",
         [r"Berdomisili di luar wilayah sasaran \(.*Jakarta Timur\)"]),
        (up2k_cld, person("Siti Aminah"), "enrolled", []),
        (up2k_cld, person("Ahmad Fauzi", gender="M", cadre=False), "rejected",
         [r"Pemohon bukan kader PKK", r"Program ini khusus perempuan, pemohon laki-laki"]),
        (up2k_cld, person("Yuni Astuti", kelurahan=KEL_CIPAYUNG), "rejected",
         [r"Berdomisili di luar wilayah sasaran \(Kecamatan Cilandak\)"]),
    ]
    for programme, body, status, reasons in cases:
        track = "tata-boga" if programme["tracks"] else None
        decided = sign_up(client, city, body, programme["id"], track)
        stored = application(client, decided["id"])  # what the officer reads later
        assert (stored["status"], stored["verified_by"]) == (status, "admin.kota"), body["full_name"]
        assert len(stored["reasons"]) == len(reasons), stored["reasons"]
        for pattern, reason in zip(reasons, stored["reasons"], strict=True):
            assert re.fullmatch(pattern, reason), (pattern, reason)

    assert seats(client, uep_jt["id"]) == {"*": (1, 485)}
    assert seats(client, up2k_cld["id"]) == {"*": (1, 100), CILANDAK_BARAT: (1, 20)}
    assert len(outbox_events(runtime, "participant_enrolled")) == 2
    assert len(outbox_events(runtime, "application_rejected")) == 4


@sqlite_only
def test_no_application_outside_the_intake_window_or_without_a_track(client):
    office = lurah_office(client)
    today = today_in_jakarta()
    closed = create_programme(client, up2k(intake_opens_on=(today - timedelta(days=60)).isoformat(),
                                           intake_closes_on=(today - timedelta(days=1)).isoformat()))
    with_tracks = create_programme(client, up2k(tracks=["tata-boga", "kue-basah"]))
    siti = register(client, office, person("Siti Aminah"))
    refused = client.post("/applications", headers=office,
                          json={"participant_id": siti["id"], "programme_id": closed["id"]})
    expect_problem(refused, 409, "programme_id")
    no_track = client.post("/applications", headers=office,
                           json={"participant_id": siti["id"], "programme_id": with_tracks["id"],
                                 "track": "steam-motor"})
    expect_problem(no_track, 422, "track")
    assert apply(client, office, siti["id"], with_tracks["id"], "kue-basah")["track"] == "kue-basah"


def test_up2k_takes_twenty_cadres_per_kelurahan_and_waitlists_the_twenty_first(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    decided = [sign_up(client, office, person(f"Kader Cilandak Barat {i:02d}", birth_date=born(i)),
                       programme["id"])["status"] for i in range(21)]
    assert decided == ["enrolled"] * 20 + ["waitlisted"]
    # The quota is per kelurahan: Lebak Bulus still has its own twenty seats.
    lebak_bulus = sign_up(client, lurah_office(client, LEBAK_BULUS),
                          person("Kader Lebak Bulus", kelurahan=LEBAK_BULUS), programme["id"])
    assert lebak_bulus["status"] == "enrolled"
    assert seats(client, programme["id"]) == {"*": (21, 100), CILANDAK_BARAT: (20, 20),
                                              LEBAK_BULUS: (1, 20)}
    waitlisted = outbox_events(runtime, "participant_waitlisted")
    assert [e["data"]["position"] for e in waitlisted] == [1]
    assert len(outbox_events(runtime, "participant_enrolled")) == 21


def test_a_freed_seat_goes_to_the_first_in_line_of_that_kelurahan(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k(kelurahan_quota=3))
    pid = programme["id"]
    enrolled = [sign_up(client, office, person(name, birth_date=born(i)), pid)
                for i, name in enumerate(["Ani", "Butet", "Cici"])]
    # Names sorted the other way round from the queue, so no other order can pass by chance.
    line = [sign_up(client, office, person(name, birth_date=born(10 + i)), pid)
            for i, name in enumerate(["Zubaidah", "Maryam", "Aisyah"])]
    assert [a["status"] for a in enrolled + line] == ["enrolled"] * 3 + ["waitlisted"] * 3
    lebak_bulus = sign_up(client, lurah_office(client, LEBAK_BULUS),
                          person("Laras", kelurahan=LEBAK_BULUS), pid)
    assert lebak_bulus["status"] == "enrolled"
    positions = {e["data"]["application_id"]: e["data"]["position"]
                 for e in outbox_events(runtime, "participant_waitlisted")}
    assert [positions[a["id"]] for a in line] == [1, 2, 3]

    def statuses() -> list[str]:
        return [application(client, a["id"])["status"] for a in line]

    # The last in line gives up: no seat was freed, nobody is enrolled.
    withdraw(client, office, line[2]["id"])
    assert statuses() == ["waitlisted", "waitlisted", "withdrawn"]
    # A Lebak Bulus seat is freed: it is not Cilandak Barat's to take.
    withdraw(client, admin(client), lebak_bulus["id"])
    assert statuses() == ["waitlisted", "waitlisted", "withdrawn"]
    assert seats(client, pid)[LEBAK_BULUS] == (0, 3)
    # Cilandak Barat seats are freed one by one: first in line first.
    withdraw(client, office, enrolled[0]["id"])
    assert statuses() == ["enrolled", "waitlisted", "withdrawn"]
    withdraw(client, office, enrolled[1]["id"])
    assert statuses() == ["enrolled", "enrolled", "withdrawn"]
    assert seats(client, pid) == {"*": (3, 100), CILANDAK_BARAT: (3, 3), LEBAK_BULUS: (0, 3)}

    backfilled = [e["data"]["application_id"] for e in outbox_events(runtime, "participant_enrolled")]
    assert backfilled[-2:] == [line[0]["id"], line[1]["id"]]
    assert len(outbox_events(runtime, "enrolment_withdrawn")) == 4
    # A decided application cannot be verified again, nor a withdrawn one withdrawn twice.
    expect_problem(client.post(f"/applications/{line[0]['id']}/verify", headers=office), 409, "status")
    expect_problem(client.post(f"/applications/{line[2]['id']}/withdraw", headers=office,
                               json={"reason": "sekali lagi"}), 409, "status")


def test_a_freed_seat_goes_to_another_kelurahan_when_the_total_held_them_back(client):
    programme = create_programme(client, up2k(total_capacity=2, kelurahan_quota=2))
    barat, lebak = lurah_office(client), lurah_office(client, LEBAK_BULUS)
    first = sign_up(client, barat, person("Ani", birth_date=born(1)), programme["id"])
    sign_up(client, barat, person("Butet", birth_date=born(2)), programme["id"])
    waiting = sign_up(client, lebak, person("Laras", kelurahan=LEBAK_BULUS, birth_date=born(3)),
                      programme["id"])
    assert waiting["status"] == "waitlisted"  # Lebak Bulus had room; the programme did not
    withdraw(client, barat, first["id"])
    assert application(client, waiting["id"])["status"] == "enrolled"
    assert seats(client, programme["id"]) == {"*": (2, 2), CILANDAK_BARAT: (1, 2), LEBAK_BULUS: (1, 2)}
