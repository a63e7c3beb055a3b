"""A little data in each service before it is fuzzed, and valid bodies to fuzz from.

Registration is seeded through its API as an officer would; training, monitoring and
marketplace learn about people from events, so they are seeded by applying the events their
consumers receive (the contract examples), then through their APIs.

Each seed returns ``ids`` (real ids by the name of the parameter that carries them:
``programme_id``, ...) and ``bodies``: for an operation (``"POST /participants"``), a
function that makes a body the service accepts (a fresh NIK or code each time). Generated
input rarely gets past a service's own rules (a NIK that matches its kecamatan, dates inside
an intake window), so the fuzz also sends these valid bodies with fields replaced by edge or
generated values: that is how an oversize number or string reaches the database.
"""

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.registration import ParticipantEnrolled
from berdaya_shared.events.training import ParticipantGraduated

CILANDAK, CILANDAK_BARAT = "31.74.06", "31.74.06.1001"
AREA = {"kelurahan_code": CILANDAK_BARAT, "kecamatan_code": CILANDAK, "kota_code": "31.74"}
_serials = itertools.count(100)


def serial() -> int:
    """A fresh serial per body (a NIK or programme code already taken only earns a 409)."""
    return next(_serials) % 9900 + 100


@dataclass
class Seeded:
    ids: dict[str, list[str]]
    bodies: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201, 202), f"{response.status_code}: {response.text}"
    return response.json()


# -- registration -----------------------------------------------------------------------------

def _person(name: str, number: int, birth_date: date = date(1984, 10, 15)) -> dict[str, Any]:
    from registration.domain.identity import make_nik

    return {"full_name": name, "nik": make_nik(CILANDAK, birth_date, "F", number),
            "kk_number": make_nik(CILANDAK, date(2015, 1, 1), "M", number),
            "birth_date": birth_date.isoformat(), "gender": "F", "phone": f"0812{number:08d}",
            "address": f"Jl. Haji Nawi No. {number}", "rt": "003", "rw": "005",
            "kelurahan_code": CILANDAK_BARAT, "dtks_listed": True, "pkk_cadre": True,
            "baseline_business": "warung kue", "baseline_monthly_income": 1_500_000}


def _programme(code: str) -> dict[str, Any]:
    today = today_in_jakarta()
    return {"code": code, "name": "UP2K Kecamatan Cilandak", "kind": "UP2K",
            "target_area_code": CILANDAK, "total_capacity": 10, "kelurahan_quota": 2,
            "quotas": {CILANDAK_BARAT: 2},
            "intake_opens_on": (today - timedelta(days=14)).isoformat(),
            "intake_closes_on": (today + timedelta(days=14)).isoformat(),
            "tracks": ["tata-boga", "menjahit"],
            "eligibility_rules": [{"kind": "pkk_cadre"}, {"kind": "gender", "value": "F"}]}


def _import_file(number: int) -> bytes:
    person = _person("Rina Wati", number)
    header = ("nama;nik;no_kk;tanggal_lahir;jenis_kelamin;no_hp;alamat;rt;rw;kelurahan;dtks;"
              "kader_pkk")
    line = ";".join([person["full_name"], person["nik"], person["kk_number"], "15/10/1984", "P",
                     person["phone"], person["address"], "3", "5", "Cilandak Barat", "ya", "ya"])
    return f"{header}\r\n{line}\r\n".encode()


def registration(runtime: Any, client: TestClient, headers: dict[str, str]) -> Seeded:
    """A UP2K programme, three women of Cilandak Barat (two look alike), one application."""
    programme = _ok(client.post("/programmes", headers=headers, json=_programme("UP2K-FUZZ")))
    people = [_ok(client.post("/participants", headers=headers, json=body))["participant"]
              for body in (_person("Siti Aminah", 1), _person("Siti Aminah", 2),
                           _person("Dewi Lestari", 3, date(1990, 3, 2)))]
    application = _ok(client.post("/applications", headers=headers, json={
        "participant_id": people[2]["id"], "programme_id": programme["id"], "track": "tata-boga"}))
    flags = _ok(client.get("/duplicates", headers=headers))
    people_ids = [p["id"] for p in people]
    return Seeded(
        ids={"programme_id": [programme["id"]], "participant_id": people_ids,
             "application_id": [application["id"]], "flag_id": [f["id"] for f in flags]},
        bodies={
            "POST /programmes": lambda: _programme(f"UP2K-FUZZ-{serial()}"),
            "POST /participants": lambda: _person("Sri Rahayu", serial()),
            "PATCH /participants/{participant_id}": lambda: {
                "full_name": "Siti Aminah Lubis", "phone": "081298765432",
                "address": "Jl. Pinang Kalijati No. 7", "rt": "004", "rw": "006",
                "baseline_business": "katering", "baseline_monthly_income": 2_000_000},
            "POST /applications": lambda: {
                "participant_id": people_ids[0], "programme_id": programme["id"],
                "track": "menjahit"},
            "POST /applications/{application_id}/reject": lambda: {
                "reason": "tidak memenuhi syarat kader PKK"},
            "POST /applications/{application_id}/withdraw": lambda: {
                "reason": "pindah domisili ke luar Jakarta"},
            "POST /duplicates/{flag_id}/decision": lambda: {"decision": "not_duplicate"},
            "POST /imports": lambda: {"file": _import_file(serial()),
                                      "programme_id": programme["id"], "track": "tata-boga"},
        })


# -- training, monitoring, marketplace --------------------------------------------------------

def _enrol(runtime: Any, programme: str, people: list[str]) -> None:
    """ParticipantEnrolled for each person, applied as training's consumer applies it."""
    from training.messaging import incoming

    handle = incoming.handlers_for(runtime.settings)[ParticipantEnrolled.TYPE]
    for person in people:
        data = {**ParticipantEnrolled.EXAMPLE, **AREA, "participant_id": person,
                "application_id": str(uuid.uuid4()), "programme_id": programme}
        with transaction(runtime.sessions) as session:
            handle(session, new_event(ParticipantEnrolled(**data), subject=person, source="fuzz"))


def training(runtime: Any, client: TestClient, headers: dict[str, str]) -> Seeded:
    """Two enrolled participants (as registration announces them), a track, a venue, a
    trainer and a mentor, a cohort of both people and one session."""
    programme, people = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(2)]
    _enrol(runtime, programme, people)
    today = today_in_jakarta()
    track = {"code": "tata-boga", "name": "Tata boga", "hours": 40, "kit_type": "alat masak set",
             "kit_items": ["kompor", "wajan"], "min_attendance_share": 0.8, "min_score": 60}
    _ok(client.post(f"/programmes/{programme}/tracks", headers=headers, json=track))
    venue_body = {"name": "Aula Kelurahan Cilandak Barat", "address": "Jl. Sukabumi No. 1",
                  "kelurahan_code": CILANDAK_BARAT, "capacity": 30}
    venue = _ok(client.post("/venues", headers=headers, json=venue_body))
    cohort_body = {"programme_id": programme, "track_code": "tata-boga", "name": "Tata boga A",
                   "venue_id": venue["id"], "area_code": CILANDAK,
                   "starts_on": today.isoformat(),
                   "ends_on": (today + timedelta(days=10)).isoformat()}
    cohort = _ok(client.post("/cohorts", headers=headers, json=cohort_body))
    _ok(client.post(f"/cohorts/{cohort['id']}/members", headers=headers,
                    json={"participant_ids": people}))
    person = {"kind": "trainer", "full_name": "Ibu Ratna", "organisation": "OK OCE",
              "phone": "081311112222", "area_code": CILANDAK, "user_subject": "trainer.ratna"}
    trainer = _ok(client.post("/people", headers=headers, json=person))
    mentor = _ok(client.post("/people", headers=headers, json={
        **person, "kind": "mentor", "full_name": "Pak Budi", "user_subject": "mentor.budi"}))
    session_body = {"held_on": today.isoformat(), "starts_at": "09:00:00", "ends_at": "12:00:00",
                    "topic": "Kebersihan dapur", "trainer_id": trainer["id"]}
    sitting = _ok(client.post(f"/cohorts/{cohort['id']}/sessions", headers=headers,
                              json=session_body))
    return Seeded(
        ids={"programme_id": [programme], "participant_id": people, "venue_id": [venue["id"]],
             "cohort_id": [cohort["id"]], "session_id": [sitting["id"]],
             "person_id": [trainer["id"], mentor["id"]]},
        bodies={
            "POST /programmes/{programme_id}/tracks": lambda: {**track, "code": f"t-{serial()}"},
            "POST /venues": lambda: dict(venue_body),
            "POST /cohorts": lambda: dict(cohort_body),
            "POST /cohorts/{cohort_id}/members": lambda: {"participant_ids": people},
            "POST /cohorts/{cohort_id}/sessions": lambda: dict(session_body),
            "PUT /cohorts/{cohort_id}/sessions/{session_id}/attendance": lambda: {
                "entries": [{"participant_id": people[0], "status": "present"},
                            {"participant_id": people[1], "status": "absent"}]},
            "PUT /cohorts/{cohort_id}/assessments": lambda: {
                "scores": [{"participant_id": people[0], "kind": "practical", "score": 80}]},
            "POST /people": lambda: {**person, "user_subject": f"trainer.{serial()}"},
            "PATCH /people/{person_id}": lambda: {"phone": "081355556666",
                                                  "organisation": "Sudin UMKM Jakarta Selatan"},
            "POST /mentors/{person_id}/participants": lambda: {
                "programme_id": programme, "participant_ids": people[:1]},
            "POST /cohorts/{cohort_id}/decisions/{participant_id}/override": lambda: {
                "outcome": "graduated", "reason": "Nilai praktik diulang dan lulus."},
        })


def _graduate(runtime: Any, handlers: dict[str, Any]) -> tuple[str, str]:
    person, programme = str(uuid.uuid4()), str(uuid.uuid4())
    data = {**ParticipantGraduated.EXAMPLE, **AREA, "participant_id": person,
            "programme_id": programme, "graduated_at": datetime.now(UTC)}
    with transaction(runtime.sessions) as session:
        handlers[ParticipantGraduated.TYPE](
            session, new_event(ParticipantGraduated(**data), subject=person, source="fuzz"))
    return person, programme


def monitoring(runtime: Any, client: TestClient, headers: dict[str, str]) -> Seeded:
    """A graduate with a monitoring plan and its scheduled visits."""
    from monitoring.messaging import incoming

    person, programme = _graduate(runtime, incoming.handlers_for(runtime.settings))
    plans = _ok(client.get("/plans", headers=headers))["items"]
    visits = [v["id"] for p in plans
              for v in _ok(client.get(f"/plans/{p['id']}", headers=headers))["visits"]]
    return Seeded(
        ids={"participant_id": [person], "programme_id": [programme],
             "plan_id": [p["id"] for p in plans], "visit_id": visits},
        bodies={"POST /visits/{visit_id}/record": lambda: {
            "visited_on": today_in_jakarta().isoformat(), "business_status": "producing_weekly",
            "monthly_income": 2_500_000, "notes": "Usaha kue berjalan, pesanan naik."}})


def marketplace(runtime: Any, client: TestClient, headers: dict[str, str]) -> Seeded:
    """A graduate's seller profile with one product listed and the graduate's consent."""
    from marketplace.messaging import incoming

    _graduate(runtime, incoming.handlers_for(runtime.settings))
    sellers = _ok(client.get("/sellers", headers=headers))["items"]
    product_body = {"name": "Kue lapis", "description": "Kue lapis legit, 20 potong",
                    "price": 25_000, "unit": "box", "category": "kue-basah"}
    product = _ok(client.post(f"/sellers/{sellers[0]['id']}/products", headers=headers,
                              json=product_body))
    consent_body = {"shop_name": "Dapur Bu Siti", "description": "Kue basah pesanan",
                    "contact_preference": "via_officer", "show_full_name": False}
    _ok(client.put(f"/sellers/{sellers[0]['id']}/consent", headers=headers, json=consent_body))
    # The fuzz calls the public order endpoint far more often than a person would.
    runtime.settings.public_orders_burst = 1_000_000
    city_order = {"product_id": product["id"], "quantity": 2, "unit_name": "Sudin UMKM",
                  "delivery_date": (today_in_jakarta() + timedelta(days=7)).isoformat(),
                  "delivery_place": "Aula Kecamatan Cilandak", "budget_reference": "DPA-045"}
    public_order = {"product_id": product["id"], "quantity": 1, "name": "Rina",
                    "phone": "081234567890"}
    order = _ok(client.post("/orders", headers=headers, json=city_order))
    today = today_in_jakarta().isoformat()
    bazaar_body = {"name": "Bazar UMKM Cilandak Barat", "area_code": CILANDAK_BARAT,
                   "starts_on": today, "ends_on": today, "venue": "Halaman Kantor Lurah",
                   "booths": 10, "categories": ["kue-basah"]}
    bazaar, allocated = (_ok(client.post("/bazaars", headers=headers, json=bazaar_body))
                         for _ in range(2))
    application = _ok(client.post(f"/bazaars/{allocated['id']}/applications", headers=headers,
                                  json={"seller_id": sellers[0]["id"]}))
    _ok(client.post(f"/bazaars/{allocated['id']}/allocation", headers=headers))
    sale_body = {"seller_id": sellers[0]["id"], "amount": 150_000, "quantity": 6,
                 "sold_on": today}
    return Seeded(
        ids={"seller_id": [s["id"] for s in sellers], "product_id": [product["id"]],
             "order_id": [order["id"]], "event_id": [bazaar["id"], allocated["id"]],
             "application_id": [application["id"]]},
        bodies={"POST /sellers/{seller_id}/products": lambda: dict(product_body),
                "PATCH /products/{product_id}": lambda: {"price": 30_000, "available": True},
                "PUT /sellers/{seller_id}/consent": lambda: dict(consent_body),
                "POST /sellers/{seller_id}/pause": lambda: {"reason": "Usaha berhenti sementara"},
                "POST /sellers/{seller_id}/resume": lambda: {"reason": "Usaha berjalan lagi"},
                "POST /sellers/{seller_id}/consent/withdrawal": lambda: {"reason": "Berhenti"},
                "POST /orders": lambda: dict(city_order),
                "POST /catalogue/orders": lambda: dict(public_order),
                "POST /orders/{order_id}/decline": lambda: {"reason": "Tidak sanggup"},
                "POST /orders/{order_id}/cancel": lambda: {"reason": "Acara batal"},
                "POST /bazaars": lambda: dict(bazaar_body),
                "POST /bazaars/{event_id}/applications": lambda: {
                    "seller_id": sellers[0]["id"]},
                "POST /bazaars/{event_id}/sales": lambda: dict(sale_body)})


SEEDS: dict[str, Callable[[Any, TestClient, dict[str, str]], Seeded]] = {
    "registration": registration, "training": training, "monitoring": monitoring,
    "marketplace": marketplace}
