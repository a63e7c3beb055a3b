"""Through the HTTP APIs only, as a portal would: a UP2K cadre of Cilandak Barat is registered,
enrolled, trained and graduates -> marketplace opens her seller profile -> the lurah records
her consent -> the lurah opens a bazaar (she is invited), applies for her, allocates the
booths -> records her bazaar sales -> monitoring's indicators show the revenue."""

import asyncio
from datetime import date, timedelta

import httpx

from berdaya_shared.api.auth import issue_token
from berdaya_shared.settings import DEV_JWT_SECRET
from berdaya_shared.testing import envelopes, read_topic, wait_until
from registration.domain.identity import make_nik

KELURAHAN, KECAMATAN = "31.74.06.1001", "31.74.06"  # Cilandak Barat, Kecamatan Cilandak


def auth(role: str, area: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, subject=f"e2e-bazaar-{role}", roles=[role], area=area)
    return {"Authorization": f"Bearer {token}"}


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def graduate(http: httpx.Client, urls: dict[str, str], today: date) -> tuple[str, str]:
    """A UP2K cadre of Cilandak Barat through registration and training; returns her
    participant id and the programme id."""
    reg, tr = urls["registration"], urls["training"]
    admin, lurah = auth("city_admin", "31"), auth("kelurahan_officer", KELURAHAN)
    camat, trainer = auth("kecamatan_officer", KECAMATAN), auth("trainer", KECAMATAN)
    programme = ok(http.post(f"{reg}/programmes", headers=admin, json={
        "code": f"UP2K-BAZAR-{today:%Y%m%d}", "name": "UP2K Cilandak (bazar)", "kind": "UP2K",
        "target_area_code": KECAMATAN, "total_capacity": 100, "kelurahan_quota": 20,
        "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=30)),
        "eligibility_rules": [{"kind": "pkk_cadre"}]}), 201)
    born = date(1979, 8, 23)
    person = ok(http.post(f"{reg}/participants", headers=lurah, json={
        "full_name": "Sulastri Handayani", "nik": make_nik("317406", born, "F", 5151),
        "kk_number": make_nik("317406", born, "M", 5152), "birth_date": str(born),
        "gender": "F", "phone": "0813 3333 4444", "address": "Jl. Sukabumi No. 8", "rt": "2",
        "rw": "1", "kelurahan_code": KELURAHAN, "pkk_cadre": True,
        "baseline_business": "kue basah", "baseline_monthly_income": 700000}),
        201)["participant"]
    application = ok(http.post(f"{reg}/applications", headers=lurah, json={
        "participant_id": person["id"], "programme_id": programme["id"]}), 201)
    ok(http.post(f"{reg}/applications/{application['id']}/verify", headers=lurah))
    wait_until(lambda: [i for i in ok(http.get(
        f"{tr}/roster", headers=trainer, params={"programme_id": programme["id"]}))["items"]
        if i["participant_id"] == person["id"]], timeout=60, what="the roster")

    ok(http.post(f"{tr}/programmes/{programme['id']}/tracks", headers=admin, json={
        "code": "kue-basah", "name": "Kue Basah", "hours": 8, "kit_type": "alat masak set",
        "kit_items": ["kukusan"], "min_attendance_share": 1, "min_score": 60}), 201)
    venue = ok(http.post(f"{tr}/venues", headers=camat, json={
        "name": "Aula Kelurahan Cilandak Barat", "address": "Jl. Sukabumi No. 1",
        "kelurahan_code": KELURAHAN, "capacity": 40}), 201)
    cohort = ok(http.post(f"{tr}/cohorts", headers=camat, json={
        "programme_id": programme["id"], "track_code": "kue-basah", "name": "Bazar angkatan 1",
        "venue_id": venue["id"], "area_code": KECAMATAN, "starts_on": str(today),
        "ends_on": str(today)}), 201)
    ok(http.post(f"{tr}/cohorts/{cohort['id']}/members", headers=camat,
                 json={"participant_ids": [person["id"]]}))
    teacher = ok(http.post(f"{tr}/people", headers=camat, json={
        "kind": "trainer", "full_name": "Yuni Astuti", "organisation": "Sudin PE",
        "phone": "0813-1212-3434", "area_code": KECAMATAN,
        "user_subject": "e2e-bazaar-trainer"}), 201)
    session = ok(http.post(f"{tr}/cohorts/{cohort['id']}/sessions", headers=camat, json={
        "held_on": str(today), "starts_at": "08:00", "ends_at": "16:00",
        "topic": "Kue basah untuk bazar", "trainer_id": teacher["id"]}), 201)
    ok(http.post(f"{tr}/cohorts/{cohort['id']}/start", headers=camat))
    ok(http.put(f"{tr}/cohorts/{cohort['id']}/sessions/{session['id']}/attendance",
                headers=trainer, json={"entries": [{"participant_id": person["id"],
                                                    "status": "present"}]}))
    ok(http.put(f"{tr}/cohorts/{cohort['id']}/assessments", headers=trainer, json={"scores": [
        {"participant_id": person["id"], "kind": "practical", "score": 81},
        {"participant_id": person["id"], "kind": "written", "score": 74}]}))
    [decision] = ok(http.post(f"{tr}/cohorts/{cohort['id']}/close", headers=trainer))
    assert decision["outcome"] == "graduated"
    return person["id"], programme["id"]


def test_a_graduate_sells_at_the_lurahs_bazaar_and_monitoring_sees_the_revenue(
        stack, kafka_bootstrap):
    mkt, mon = stack.urls["marketplace"], stack.urls["monitoring"]
    http, today = httpx.Client(timeout=30), date.today()
    lurah, admin = auth("kelurahan_officer", KELURAHAN), auth("city_admin", "31")
    person, programme = graduate(http, stack.urls, today)

    def profile():  # type: ignore[no-untyped-def]
        return [s for s in ok(http.get(f"{mkt}/sellers", headers=lurah,
                                       params={"limit": 500}))["items"]
                if s["participant_id"] == person]
    seller = wait_until(profile, timeout=60, what="a seller profile for the graduate")[0]
    ok(http.post(f"{mkt}/sellers/{seller['id']}/products", headers=lurah, json={
        "name": "Kue talam", "price": 3000, "unit": "potong", "category": "kue-basah"}), 201)
    ok(http.put(f"{mkt}/sellers/{seller['id']}/consent", headers=lurah, json={
        "shop_name": "Talam Bu Sulastri", "contact_preference": "via_officer"}))

    bazaar = ok(http.post(f"{mkt}/bazaars", headers=lurah, json={
        "name": "Bazar UP2K Cilandak Barat", "area_code": KELURAHAN, "starts_on": str(today),
        "ends_on": str(today), "venue": "Halaman Kantor Lurah Cilandak Barat", "booths": 10,
        "categories": ["kue-basah"]}), 201)
    assert bazaar["invited"] >= 1
    outside = http.post(f"{mkt}/bazaars", headers=lurah, json={
        "name": "Bazar Pondok Labu", "area_code": "31.74.06.1003", "starts_on": str(today),
        "ends_on": str(today), "venue": "Lapangan", "booths": 5})
    assert outside.status_code == 403 and outside.json()["field"] == "area_code"
    ok(http.post(f"{mkt}/bazaars/{bazaar['id']}/applications", headers=lurah,
                 json={"seller_id": seller["id"]}), 201)
    allocation = ok(http.post(f"{mkt}/bazaars/{bazaar['id']}/allocation", headers=lurah))
    [placed] = [p for p in allocation["placements"] if p["seller_id"] == seller["id"]]
    assert placed["status"] == "allocated" and placed["reason"].startswith("Mendapat stand")
    for amount in (90_000, 60_000):
        ok(http.post(f"{mkt}/bazaars/{bazaar['id']}/sales", headers=lurah, json={
            "seller_id": seller["id"], "amount": amount, "quantity": amount // 3000,
            "sold_on": str(today)}), 201)
    report = ok(http.get(f"{mkt}/bazaars/{bazaar['id']}/report", headers=lurah))
    assert report["totals"]["amount"] == 150_000

    def revenue():  # type: ignore[no-untyped-def]
        rows = ok(http.get(f"{mon}/indicators", headers=admin, params={
            "group_by": "kelurahan", "programme_id": programme}))["rows"]
        [row] = [r for r in rows if r["key"] == KELURAHAN] or [None]
        return row if row and row["revenue_recorded"] == 150_000 else None
    assert wait_until(revenue, timeout=60, what="monitoring to count the bazaar sales")[
        "graduates"] == 1

    def mine(messages):  # type: ignore[no-untyped-def]
        return [e for e in envelopes(messages) if e.subject in (person, bazaar["id"])
                and e.type in WANTED]
    WANTED = {"marketplace.market_event_created.v1", "marketplace.booths_allocated.v1",
              "marketplace.sale_recorded.v1"}
    seen = mine(asyncio.run(read_topic(kafka_bootstrap, "marketplace.events", timeout=60,
                                       until=lambda ms: {e.type for e in mine(ms)} >= WANTED)))
    sales = [e.data for e in seen if e.type == "marketplace.sale_recorded.v1"]
    assert sorted(s["amount"] for s in sales) == [60_000, 90_000]
    assert {s["channel"] for s in sales} == {"bazaar"}
