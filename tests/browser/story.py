"""A small scripted story for the dashboard, told the way it happens in production.

Training announces six graduations of eight months ago in Kecamatan Cilandak and one in
Jakarta Timur (``ParticipantGraduated`` and ``StarterKitIssued`` on ``training.events``, as
training's relay publishes them; training's own HTTP path to a graduation is the e2e test's).
Then, through monitoring's API: a field officer records visits (Siti produces daily at two
visits seven months apart, so she is a new entrepreneur; Dewi produces only for Lebaran and
needs capital, Ratna has stopped), the camat sends Dewi's referral to its agency, the city
sets the kecamatan's target. Marketplace's ``SaleRecorded`` tells two of Siti's sales.
Everyone else's visits stay overdue and the jobs role escalates them.
"""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx

from berdaya_shared.api.auth import issue_token
from berdaya_shared.events import Envelope, new_event, topic_of
from berdaya_shared.events.marketplace import SaleRecorded
from berdaya_shared.events.training import ParticipantGraduated, StarterKitIssued
from berdaya_shared.kafka import new_producer
from berdaya_shared.settings import DEV_JWT_SECRET
from berdaya_shared.testing import wait_until

# Bound on every wait for events and jobs (generous: the machine may be busy).
WAIT_S = 180
KECAMATAN = "31.74.06"  # Cilandak
BARAT, PONDOK_LABU, GANDARIA = "31.74.06.1001", "31.74.06.1003", "31.74.06.1004"
CIPAYUNG = "31.75.10.1001"
PEOPLE = {  # name -> kelurahan
    "Siti Aminah": BARAT, "Dewi Lestari": BARAT, "Yuli Rahmawati": BARAT,
    "Ratna Sari": PONDOK_LABU, "Wati Handayani": PONDOK_LABU, "Nur Hidayat": GANDARIA,
    "Agus Saputra": CIPAYUNG}
FIRST_KELURAHAN_PEOPLE = [n for n, k in PEOPLE.items() if k == BARAT]


def auth(role: str, area: str, subject: str | None = None) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(role, area, subject)}


def token(role: str, area: str, subject: str | None = None) -> str:
    return issue_token(DEV_JWT_SECRET, subject=subject or f"{role}.{area}", roles=[role],
                       area=area)


def ok(response: httpx.Response) -> dict:
    assert response.status_code < 300, f"{response.request.url}: {response.text}"
    return response.json()


@dataclass
class Story:
    programme_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    graduated_on: date = field(default_factory=lambda: date.today() - timedelta(days=250))
    participants: dict[str, str] = field(default_factory=dict)


def _area(kelurahan: str) -> dict[str, str]:
    return {"kelurahan_code": kelurahan, "kecamatan_code": kelurahan[:8],
            "kota_code": kelurahan[:5]}


def publish(bootstrap: str, events: list[Envelope], topic_prefix: str) -> None:
    """Publish as a service's relay does (key = subject, the stack's topic prefix), from a
    thread of its own: Playwright's sync API keeps an event loop running in the test's thread."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _publish(bootstrap, events, topic_prefix)).result(timeout=WAIT_S)


async def _publish(bootstrap: str, events: list[Envelope], topic_prefix: str) -> None:
    producer = new_producer(bootstrap, client_id="browser-test-story")
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(topic_prefix + topic_of(event.type), value=event.to_bytes(),
                                         key=event.subject.encode(),
                                         headers=[("ce_type", event.type.encode()),
                                                  ("ce_id", event.id.encode())])
    finally:
        await producer.stop()


def tell(stack_urls: dict[str, str], bootstrap: str, topic_prefix: str) -> Story:
    mon = stack_urls["monitoring"]
    story, http = Story(), httpx.Client(timeout=60)
    graduated_at = datetime.combine(story.graduated_on, datetime.min.time(), UTC) + timedelta(hours=3)
    events = []
    for name, kelurahan in PEOPLE.items():
        person = story.participants[name] = str(uuid.uuid4())
        events.append(new_event(ParticipantGraduated(**{
            **ParticipantGraduated.EXAMPLE, "participant_id": person,
            "programme_id": story.programme_id, "programme_code": "UP2K-CILANDAK",
            "full_name": name, **_area(kelurahan), "graduated_at": graduated_at,
            "baseline_monthly_income": 1_000_000}), subject=person, source="berdaya/training"))
        events.append(new_event(StarterKitIssued(**{
            **StarterKitIssued.EXAMPLE, "kit_id": str(uuid.uuid4()), "participant_id": person,
            "programme_id": story.programme_id, **_area(kelurahan)}),
            subject=person, source="berdaya/training"))
    publish(bootstrap, events, topic_prefix)
    admin = auth("city_admin", "31")
    mine = {"programme_id": story.programme_id, "limit": 100}
    wait_until(lambda: len(ok(http.get(f"{mon}/plans", headers=admin, params=mine))["items"])
               == len(PEOPLE),
               timeout=WAIT_S, what="monitoring's plans for the seven graduates")
    plans = {p["full_name"]: p
             for p in ok(http.get(f"{mon}/plans", headers=admin, params=mine))["items"]}

    def visits(name: str) -> list[dict]:
        detail = ok(http.get(f"{mon}/plans/{plans[name]['id']}", headers=admin))
        return sorted(detail["visits"], key=lambda v: v["sequence"])

    field_officer = auth("field_officer", KECAMATAN, "petugas.cilandak")
    day = story.graduated_on

    def record(name: str, sequence: int, after_days: int, **report: object) -> None:
        visit = visits(name)[sequence - 1]
        ok(http.post(f"{mon}/visits/{visit['id']}/record", headers=field_officer, json={
            "visited_on": str(day + timedelta(days=after_days)), **report}))

    record("Siti Aminah", 1, 32, business_status="active_daily", monthly_net_income=1_400_000,
           kit_state="in_use", main_products=["kue lapis"])
    record("Siti Aminah", 2, 123, business_status="active_daily", monthly_net_income=1_700_000,
           kit_state="in_use")
    record("Siti Aminah", 3, 247, business_status="active_daily", monthly_net_income=2_100_000,
           kit_state="in_use")
    record("Dewi Lestari", 1, 33, business_status="seasonal", monthly_net_income=1_100_000,
           kit_state="in_use", needs=["capital"])
    record("Ratna Sari", 1, 35, business_status="stopped", monthly_net_income=400_000,
           kit_state="idle")
    record("Nur Hidayat", 1, 31, business_status="active_weekly", monthly_net_income=1_200_000,
           kit_state="in_use")
    camat = auth("kecamatan_officer", KECAMATAN, "camat.cilandak")
    [suggested] = ok(http.get(f"{mon}/referrals", headers=camat,
                              params={"status": "suggested"}))["items"]
    ok(http.post(f"{mon}/referrals/{suggested['id']}/send", headers=camat, json={}))
    ok(http.put(f"{mon}/targets/{KECAMATAN}", headers=admin, json={
        "new_entrepreneurs_min": 4000, "new_entrepreneurs_max": 5000,
        "starts_on": str(story.graduated_on), "ends_on": str(story.graduated_on.replace(
            year=story.graduated_on.year + 5))}))
    siti = story.participants["Siti Aminah"]
    publish(bootstrap, [new_event(SaleRecorded(**{
        **SaleRecorded.EXAMPLE, "sale_id": str(uuid.uuid4()), "participant_id": siti,
        "amount": amount, "quantity": 10, "sold_on": str(day + timedelta(days=after)),
        **_area(BARAT)}), subject=siti, source="berdaya/marketplace")
        for amount, after in ((350_000, 60), (500_000, 150))], topic_prefix)
    wait_until(lambda: len(ok(http.get(f"{mon}/dashboard/data", headers=camat))[
        "sales_by_month"]) == 2, timeout=WAIT_S, what="monitoring to take in Siti's two sales")
    wait_until(lambda: ok(http.get(f"{mon}/work-list", headers=camat, params={
        "kelurahan_code": PONDOK_LABU, "escalated_only": True}))["items"], timeout=WAIT_S,
        what="the overdue visits of Pondok Labu to be escalated")
    return story
