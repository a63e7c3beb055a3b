"""Through the HTTP APIs only, as a portal would: register -> enrol -> track, venue, cohort,
sessions, an OK OCE mentor -> attendance, assessments -> close (graduate, with the mentor and
the kit on the event) -> the starter kit handed over -> a monitoring plan (with an overdue
visit flagged) and a seller profile exist.
An outside consumer reading every topic sees the chain's events and never a NIK or KK."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import httpx

from berdaya_shared.api.auth import issue_token
from berdaya_shared.settings import DEV_JWT_SECRET
from berdaya_shared.testing import envelopes, read_topic, wait_until
from registration.domain.identity import make_nik

KELURAHAN = "31.74.06.1003"  # Pondok Labu, Kecamatan Cilandak


def auth(role: str, area: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, subject=f"e2e-{role}", roles=[role], area=area)
    return {"Authorization": f"Bearer {token}"}


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def test_graduate_gets_monitoring_plan_and_seller_profile(stack, kafka_bootstrap):
    reg, tr, mon, mkt = (stack.urls[n] for n in ("registration", "training", "monitoring", "marketplace"))
    http, today = httpx.Client(timeout=30), date.today()
    admin, lurah = auth("city_admin", "31"), auth("kelurahan_officer", KELURAHAN)
    trainer, field = auth("trainer", "31.74.06"), auth("field_officer", "31.74.06")
    programme = ok(http.post(f"{reg}/programmes", headers=admin, json={
        "code": f"UP2K-E2E-{today:%Y%m%d}-{id(stack) % 10000}", "name": "UP2K Cilandak (e2e)",
        "kind": "UP2K", "target_area_code": "31.74.06", "total_capacity": 100,
        "kelurahan_quota": 20, "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=30)),
        "eligibility_rules": [{"kind": "pkk_cadre"}, {"kind": "resides_in", "area_codes": ["31.74.06"]}]}),
        201)
    born = date(1983, 4, 17)
    nik, kk = make_nik("317406", born, "F", 4242), make_nik("317406", born, "M", 4243)
    person = ok(http.post(f"{reg}/participants", headers=lurah, json={
        "full_name": "Ratna Kusuma", "nik": nik, "kk_number": kk, "birth_date": str(born),
        "gender": "F", "phone": "0813 1111 2222", "address": "Jl. Pinang No. 3", "rt": "4",
        "rw": "2", "kelurahan_code": KELURAHAN, "pkk_cadre": True,
        "baseline_business": "kue basah", "baseline_monthly_income": 900000}), 201)["participant"]
    application = ok(http.post(f"{reg}/applications", headers=lurah, json={
        "participant_id": person["id"], "programme_id": programme["id"]}), 201)
    assert ok(http.post(f"{reg}/applications/{application['id']}/verify", headers=lurah))["status"] \
        == "enrolled"

    def on_roster():  # type: ignore[no-untyped-def]
        items = ok(http.get(f"{tr}/roster", headers=trainer,
                            params={"programme_id": programme["id"]}))["items"]
        return [i for i in items if i["participant_id"] == person["id"]]
    wait_until(on_roster, timeout=60, what="the enrolment to reach the training roster")

    ok(http.post(f"{tr}/programmes/{programme['id']}/tracks", headers=admin, json={
        "code": "kue-basah", "name": "Kue Basah", "hours": 24, "kit_type": "alat masak set",
        "kit_items": ["oven tangkring", "loyang set", "mixer"], "min_attendance_share": 0.75,
        "min_score": 70}), 201)
    camat = auth("kecamatan_officer", "31.74.06")
    venue = ok(http.post(f"{tr}/venues", headers=camat, json={
        "name": "Kantor Kecamatan Cilandak", "address": "Jl. Rs. Fatmawati No. 1",
        "kelurahan_code": "31.74.06.1001", "capacity": 100}), 201)
    cohort = ok(http.post(f"{tr}/cohorts", headers=camat, json={
        "programme_id": programme["id"], "track_code": "kue-basah",
        "name": "UP2K Cilandak angkatan e2e", "venue_id": venue["id"], "area_code": "31.74.06",
        "starts_on": str(today - timedelta(days=3)), "ends_on": str(today)}), 201)
    ok(http.post(f"{tr}/cohorts/{cohort['id']}/members", headers=camat,
                 json={"participant_ids": [person["id"]]}))
    teacher = ok(http.post(f"{tr}/people", headers=camat, json={
        "kind": "trainer", "full_name": "Rina Marlina", "organisation": "Sudin PE Jakarta Selatan",
        "phone": "0813-5555-6666", "area_code": "31.74.06", "user_subject": "e2e-trainer"}), 201)
    sessions = [ok(http.post(f"{tr}/cohorts/{cohort['id']}/sessions", headers=camat, json={
        "held_on": str(today - timedelta(days=day)), "starts_at": "09:00", "ends_at": "12:00",
        "topic": f"Kue basah {day + 1}", "trainer_id": teacher["id"]}), 201) for day in range(3)]
    mentor = ok(http.post(f"{tr}/people", headers=camat, json={
        "kind": "mentor", "full_name": "Dewi Lestari", "organisation": "OK OCE",
        "phone": "0812-7777-8888", "area_code": "31.74.06"}), 201)
    ok(http.post(f"{tr}/mentors/{mentor['id']}/participants", headers=camat, json={
        "programme_id": programme["id"], "participant_ids": [person["id"]]}))
    ok(http.post(f"{tr}/cohorts/{cohort['id']}/start", headers=camat))
    mine = ok(http.get(f"{tr}/cohorts", headers=trainer, params={"status": "running"}))["items"]
    assert cohort["id"] in [c["id"] for c in mine]  # the trainer of its sessions sees it
    for session in sessions:
        ok(http.put(f"{tr}/cohorts/{cohort['id']}/sessions/{session['id']}/attendance",
                    headers=trainer, json={"entries": [{"participant_id": person["id"],
                                                        "status": "present"}]}))
    ok(http.put(f"{tr}/cohorts/{cohort['id']}/assessments", headers=trainer, json={"scores": [
        {"participant_id": person["id"], "kind": "practical", "score": 88},
        {"participant_id": person["id"], "kind": "written", "score": 76}]}))
    [decision] = ok(http.post(f"{tr}/cohorts/{cohort['id']}/close", headers=trainer))
    assert (decision["outcome"], decision["score"]) == ("graduated", 76)
    now = datetime.now(UTC).isoformat()
    kit = ok(http.post(f"{tr}/kits", headers=camat, json={
        "participant_id": person["id"], "programme_id": programme["id"],
        "items": [{"name": "oven tangkring"}, {"name": "loyang set", "quantity": 2},
                  {"name": "mixer", "serial_number": "MX-2024-0042"}],
        "handed_over_by": "Rina Marlina", "handed_over_at": now,
        "acknowledged_by_name": "Ratna Kusuma", "acknowledged_at": now}), 201)
    assert kit["kit_type"] == "alat masak set"  # the track's kit
    again = http.post(f"{tr}/kits", headers=camat, json={
        "participant_id": person["id"], "programme_id": programme["id"],
        "handed_over_by": "Rina Marlina", "handed_over_at": now,
        "acknowledged_by_name": "Ratna Kusuma", "acknowledged_at": now})
    assert again.status_code == 409 and again.json()["field"] == "participant_id"

    def plan():  # type: ignore[no-untyped-def]
        items = ok(http.get(f"{mon}/plans", headers=field))["items"]
        return [p for p in items if p["participant_id"] == person["id"]]
    wait_until(plan, timeout=60, what="a monitoring plan for the graduate")

    def seller():  # type: ignore[no-untyped-def]
        items = ok(http.get(f"{mkt}/sellers", headers=lurah))["items"]
        return [s for s in items if s["participant_id"] == person["id"]]
    profile = wait_until(seller, timeout=60, what="a seller profile for the graduate")[0]
    assert profile["display_name"] == "Ratna Kusuma"

    ok(http.post(f"{mkt}/sellers/{profile['id']}/products", headers=lurah, json={
        "name": "Kue lapis legit", "price": 45000, "unit": "loyang"}), 201)
    # Hidden from the public until the graduate consents (recorded by the lurah).
    assert ok(http.get(f"{mkt}/catalogue", params={"q": "lapis legit"}))["items"] == []
    ok(http.put(f"{mkt}/sellers/{profile['id']}/consent", headers=lurah, json={
        "shop_name": "Dapur Ratna", "contact_preference": "via_officer"}))
    catalogue = ok(http.get(f"{mkt}/catalogue", params={"q": "lapis legit"}))["items"]
    shown = [p for p in catalogue if p["name"] == "Kue lapis legit"]
    assert [(p["shop_name"], p["seller_name"]) for p in shown] == [("Dapur Ratna", None)]

    # The field officer finds the business stopped: monitoring's status changes, and the
    # marketplace pauses the seller (the public no longer sees the product); a later visit
    # finds it producing daily again, and the seller is back.
    [plan_row] = plan()

    def visits_flagged():  # type: ignore[no-untyped-def]
        # The first visit fell due yesterday: the overdue check (every second here) flags it
        # and says so once (VisitOverdue); the officer then goes.
        visits = ok(http.get(f"{mon}/plans/{plan_row['id']}", headers=field))["visits"]
        ordered = sorted(visits, key=lambda v: v["sequence"])
        return ordered if ordered[0]["overdue_flagged_at"] else None
    first, second = wait_until(visits_flagged, timeout=60, what="the first visit flagged overdue")
    ok(http.post(f"{mon}/visits/{first['id']}/record", headers=field, json={
        "visited_on": str(today), "production_days_per_week": 0, "monthly_revenue": 0,
        "monthly_net_income": 0, "business_status": "stopped", "kit_state": "idle",
        "needs": ["capital"], "notes": "Oven rusak, belum produksi lagi."}))

    def seller_is(status: str):  # type: ignore[no-untyped-def]
        return ok(http.get(f"{mkt}/sellers/{profile['id']}", headers=lurah))["status"] == status
    wait_until(lambda: seller_is("paused"), timeout=60, what="marketplace to pause the seller")
    assert ok(http.get(f"{mon}/plans/{plan_row['id']}", headers=field))["business_status"] == "stopped"
    assert ok(http.get(f"{mkt}/catalogue", params={"q": "lapis legit"}))["items"] == []
    ok(http.post(f"{mon}/visits/{second['id']}/record", headers=field, json={
        "visited_on": str(today), "production_days_per_week": 6, "monthly_revenue": 3_000_000,
        "monthly_net_income": 1_200_000, "kit_state": "in_use", "channels": ["home", "orders"]}))
    wait_until(lambda: seller_is("active"), timeout=60, what="marketplace to resume the seller")
    assert [p["shop_name"] for p in ok(http.get(f"{mkt}/catalogue", params={
        "q": "lapis legit"}))["items"]] == ["Dapur Ratna"]

    def types_for(topic: str, expected: set[str]):  # type: ignore[no-untyped-def]
        def mine(messages):  # type: ignore[no-untyped-def]
            return {e.type for e in envelopes(messages) if e.subject == person["id"]} >= expected
        return asyncio.run(read_topic(kafka_bootstrap, topic, until=mine, timeout=60))

    seen = []
    seen += types_for("registration.events", {"registration.participant_registered.v1",
                                              "registration.participant_enrolled.v1"})
    seen += types_for("training.events", {"training.participant_graduated.v1",
                                          "training.mentor_assigned.v1",
                                          "training.starter_kit_issued.v1"})
    seen += types_for("monitoring.events", {"monitoring.visit_scheduled.v1",
                                            "monitoring.visit_overdue.v1",
                                            "monitoring.business_status_changed.v1"})
    seen += types_for("marketplace.events", {"marketplace.seller_profile_created.v1",
                                             "marketplace.product_listed.v1",
                                             "marketplace.seller_consent_given.v1",
                                             "marketplace.seller_paused.v1",
                                             "marketplace.seller_resumed.v1"})
    chain = [e for e in envelopes(seen) if e.subject == person["id"]]
    graduated = next(e.data for e in chain if e.type == "training.participant_graduated.v1")
    assert (graduated["track_code"], graduated["kit_type"]) == ("kue-basah", "alat masak set")
    assert (graduated["mentor"]["mentor_id"], graduated["mentor"]["organisation"]) == (
        mentor["id"], "OK OCE")
    issued = next(e.data for e in chain if e.type == "training.starter_kit_issued.v1")
    assert issued["kit_type"] == "alat masak set" and len(issued["items"]) == 3
    overdue = [e for e in chain if e.type == "monitoring.visit_overdue.v1"]
    assert len(overdue) == 1, "the overdue visit is reported exactly once"
    assert len({e.correlationid for e in chain if e.source != "berdaya/registration"}) >= 1
    for message in seen:
        assert nik.encode() not in message.value and kk.encode() not in message.value
    assert nik not in stack.log_text() and kk not in stack.log_text()
