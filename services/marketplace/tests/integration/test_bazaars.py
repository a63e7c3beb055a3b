"""Bazaars: a lurah or camat opens one for their area and its eligible sellers are invited;
officers apply for the sellers of their area; the organiser allocates the booths once, fairly
and explainably; a withdrawn booth passes on; bazaar sales reach monitoring as SaleRecorded;
the outcomes report. On SQLite and PostgreSQL."""

import asyncio
import csv
import io
from datetime import date, timedelta

from sqlalchemy import func, select

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.events.marketplace import BoothsAllocated, MarketEventCreated, SaleRecorded
from berdaya_shared.events.notifications import NotificationRequested
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic
from marketplace.adapters.tables import BazaarApplication, MarketEvent, outbox
from marketplace.domain.bazaar import Applicant, allocate

from .bazaar_helpers import (
    CILANDAK,
    CILANDAK_BARAT,
    IN_SEASON,
    OFF_SEASON,
    PONDOK_LABU,
    apply,
    bazaar_body,
    camat,
    lurah,
    open_bazaar,
    outbox_events,
    seller,
)


def count(runtime, what) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(what)).scalar_one()


def test_a_lurah_opens_a_bazaar_and_the_eligible_sellers_are_invited(runtime, client):
    cake = seller(runtime, client, category="kue-basah")
    drinks = seller(runtime, client, category="minuman")
    seller(runtime, client, consent=False)  # pending consent: not invited
    seller(runtime, client, PONDOK_LABU, category="kue-basah")  # another kelurahan
    officer = lurah(runtime)

    event = open_bazaar(client, officer, categories=["kue-basah"])
    assert (event["status"], event["invited"], event["organised_by"]) == (
        "open", 1, f"lurah.{CILANDAK_BARAT}")
    everyone = open_bazaar(client, officer)
    assert everyone["invited"] == 2

    [created, _] = outbox_events(runtime, MarketEventCreated.TYPE)
    assert (created.subject, created.data["area_code"], created.data["categories"]) == (
        event["id"], CILANDAK_BARAT, ["kue-basah"])
    invitations = outbox_events(runtime, NotificationRequested.TYPE)
    assert [i.data["parameters"]["seller_id"] for i in invitations] == [
        cake, *sorted([cake, drinks])]
    first = invitations[0]
    assert (first.data["recipient_role"], first.data["recipient_area"], first.data["template"],
            first.data["channels"]) == ("kelurahan_officer", CILANDAK_BARAT,
                                        "marketplace.bazaar_invitation", ["whatsapp", "sms"])
    assert first.causationid == created.id  # the invitation follows from the bazaar
    assert "phone" not in first.data["parameters"] and "nik" not in first.data["parameters"]
    read = client.get(f"/bazaars/{event['id']}", headers=camat(runtime)).json()
    assert read["name"] == "Bazar UMKM Cilandak" and read["seed"] is None


def test_a_bazaar_outside_the_organisers_area_is_refused_and_nothing_is_stored(runtime, client):
    officer = lurah(runtime)
    before = count(runtime, outbox)
    for area in (PONDOK_LABU, CILANDAK):
        refused = client.post("/bazaars", headers=officer, json=bazaar_body(area))
        assert refused.status_code == 403 and refused.json()["field"] == "area_code"
        assert "di luar wilayah Anda" in refused.json()["detail"]
    admin = auth_headers(runtime.settings, "city_admin")
    unknown = client.post("/bazaars", headers=admin, json=bazaar_body("31.74.99"))
    assert unknown.status_code == 422 and unknown.json()["field"] == "area_code"
    backwards = client.post("/bazaars", headers=admin, json=bazaar_body(
        ends_on=OFF_SEASON - timedelta(days=1)))
    assert backwards.status_code == 422 and backwards.json()["field"] == "ends_on"
    category = client.post("/bazaars", headers=admin, json=bazaar_body(categories=["batik"]))
    assert category.status_code == 422 and category.json()["field"] == "categories"
    field = auth_headers(runtime.settings, "field_officer", area=CILANDAK)
    assert client.post("/bazaars", headers=field, json=bazaar_body()).status_code == 403
    assert count(runtime, MarketEvent) == 0 and count(runtime, outbox) == before


def test_officers_apply_once_per_seller_for_eligible_sellers_of_their_area(runtime, client):
    here, there = seller(runtime, client), seller(runtime, client, PONDOK_LABU)
    paused = seller(runtime, client)
    assert client.post(f"/sellers/{paused}/pause", headers=lurah(runtime),
                       json={"reason": "Sakit"}).status_code == 200
    event = open_bazaar(client, camat(runtime), area=CILANDAK)

    first = apply(client, lurah(runtime), event["id"], here)
    assert (first["status"], first["applied_by"], first["rank"]) == (
        "applied", f"lurah.{CILANDAK_BARAT}", None)
    twice = client.post(f"/bazaars/{event['id']}/applications", headers=lurah(runtime),
                        json={"seller_id": here})
    assert twice.status_code == 409 and twice.json()["field"] == "seller_id"
    # An officer of another area: the seller is not in their area.
    stranger = client.post(f"/bazaars/{event['id']}/applications", headers=lurah(runtime),
                           json={"seller_id": there})
    assert stranger.status_code == 404 and stranger.json()["field"] == "seller_id"
    apply(client, lurah(runtime, PONDOK_LABU), event["id"], there)
    not_active = client.post(f"/bazaars/{event['id']}/applications", headers=lurah(runtime),
                             json={"seller_id": paused})
    assert not_active.status_code == 409 and not_active.json()["field"] == "seller_id"

    # A kelurahan bazaar: the Pondok Labu lurah does not see Cilandak Barat's.
    own = open_bazaar(client, lurah(runtime), categories=["kue-basah"])
    hidden = client.post(f"/bazaars/{own['id']}/applications",
                         headers=lurah(runtime, PONDOK_LABU), json={"seller_id": there})
    assert hidden.status_code == 404 and hidden.json()["field"] == "event_id"
    no_cake = client.post(f"/bazaars/{own['id']}/applications", headers=lurah(runtime),
                          json={"seller_id": here})
    assert no_cake.status_code == 422 and no_cake.json()["field"] == "seller_id"
    assert count(runtime, BazaarApplication) == 2
    # Each lurah lists the applications of their own sellers; the camat all of them.
    assert [a["seller_id"] for a in client.get(
        f"/bazaars/{event['id']}/applications", headers=lurah(runtime)).json()] == [here]
    assert len(client.get(f"/bazaars/{event['id']}/applications",
                          headers=camat(runtime)).json()) == 2


def test_more_applicants_than_booths_are_ranked_explained_and_allocated_once(runtime, client):
    """4 applicants from Cilandak Barat and 2 from Pondok Labu for 3 booths: quotas 2 and 1."""
    event = open_bazaar(client, camat(runtime), area=CILANDAK, booths=3)
    ours = [seller(runtime, client) for _ in range(4)]
    theirs = [seller(runtime, client, PONDOK_LABU) for _ in range(2)]
    for s in ours:
        apply(client, lurah(runtime), event["id"], s)
    for s in theirs:
        apply(client, lurah(runtime, PONDOK_LABU), event["id"], s)
    refused = client.post(f"/bazaars/{event['id']}/allocation", headers=lurah(runtime))
    assert refused.status_code == 403 and refused.json()["field"] == "event_id"

    allocated = client.post(f"/bazaars/{event['id']}/allocation", headers=camat(runtime))
    assert allocated.status_code == 200, allocated.text
    body = allocated.json()
    placements = body["placements"]
    assert [p["rank"] for p in placements] == [1, 2, 3, 4, 5, 6]
    holders = [p for p in placements if p["status"] == "allocated"]
    assert len(holders) == 3
    assert sorted(p["kelurahan_code"] for p in holders) == [CILANDAK_BARAT, CILANDAK_BARAT,
                                                            PONDOK_LABU]
    assert all(p["status"] == "waitlisted" for p in placements[3:])
    assert placements[3]["reason"].startswith("Daftar tunggu nomor 1")
    assert "sebanding dengan 4 dari 6 pelamar" in holders[0]["reason"] or \
        "sebanding dengan 2 dari 6 pelamar" in holders[0]["reason"]
    stored = client.get(f"/bazaars/{event['id']}", headers=camat(runtime)).json()
    assert stored["status"] == "allocated" and stored["seed"] == body["seed"]
    assert stored["off_season"] is True and stored["revision"] == 1

    again = client.post(f"/bazaars/{event['id']}/allocation", headers=camat(runtime))
    assert again.status_code == 409 and again.json()["field"] == "event_id"
    late = client.post(f"/bazaars/{event['id']}/applications", headers=lurah(runtime),
                       json={"seller_id": seller(runtime, client)})
    assert late.status_code == 409 and late.json()["field"] == "event_id"
    assert len(outbox_events(runtime, BoothsAllocated.TYPE)) == 1

    # Re-computed from the stored seed and inputs: the same ranks.
    audit = client.get(f"/bazaars/{event['id']}/allocation", headers=camat(runtime),
                       params={}).json()
    assert audit["same_from_seed"] is True
    again = allocate([Applicant(seller_id=p["seller_id"], kelurahan_code=p["kelurahan_code"],
                                booths_last_year=p["booths_last_year"], seasonal=p["seasonal"])
                      for p in placements], booths=3, seed=body["seed"], off_season=True)
    assert [(p.seller_id, p.rank, p.allocated) for p in again] == [
        (p["seller_id"], p["rank"], p["status"] == "allocated") for p in placements]
    english = client.get(f"/bazaars/{event['id']}/allocation",
                         headers={**camat(runtime), "Accept-Language": "en"}).json()
    assert english["placements"][3]["reason"].startswith("Waiting list number 1")
    # A lurah sees the ranks of their own sellers only.
    mine = client.get(f"/bazaars/{event['id']}/allocation", headers=lurah(runtime, PONDOK_LABU))
    assert {p["seller_id"] for p in mine.json()["placements"]} == set(theirs)


def test_fewer_booths_in_the_last_twelve_months_come_first(runtime, client):
    veteran, newcomer = seller(runtime, client), seller(runtime, client)
    officer = lurah(runtime)
    earlier = open_bazaar(client, officer, booths=1, starts_on=OFF_SEASON - timedelta(days=60))
    apply(client, officer, earlier["id"], veteran)
    client.post(f"/bazaars/{earlier['id']}/allocation", headers=officer)
    long_ago = open_bazaar(client, officer, booths=1, starts_on=OFF_SEASON - timedelta(days=400))
    apply(client, officer, long_ago["id"], newcomer)  # more than a year before: not counted
    client.post(f"/bazaars/{long_ago['id']}/allocation", headers=officer)

    event = open_bazaar(client, officer, booths=1)
    apply(client, officer, event["id"], veteran)
    apply(client, officer, event["id"], newcomer)
    placements = client.post(f"/bazaars/{event['id']}/allocation",
                             headers=officer).json()["placements"]
    assert [(p["seller_id"], p["status"], p["booths_last_year"]) for p in placements] == [
        (newcomer, "allocated", 0), (veteran, "waitlisted", 1)]
    assert "1 stand dalam 12 bulan terakhir" in placements[1]["reason"]


def test_seasonal_sellers_come_first_outside_the_lebaran_and_natal_weeks(runtime, client):
    officer = lurah(runtime)
    seasonal = seller(runtime, client, business_status="seasonal")
    daily = [seller(runtime, client, business_status="active_daily") for _ in range(4)]
    off = open_bazaar(client, officer, booths=1)
    before_natal = open_bazaar(client, officer, booths=1, starts_on=IN_SEASON)
    for event in (off, before_natal):
        for s in [*daily, seasonal]:
            apply(client, officer, event["id"], s)
    # The later (in-season) bazaar first: the earlier one's booth would otherwise count against
    # the seasonal seller there (a booth in the twelve months before).
    second = client.post(f"/bazaars/{before_natal['id']}/allocation", headers=officer).json()
    assert second["off_season"] is False  # in season the draw alone decides among equals
    assert not any("musiman" in p["reason"] for p in second["placements"])
    assert second["placements"][0]["draw"] == 1
    first = client.post(f"/bazaars/{off['id']}/allocation", headers=officer).json()
    assert first["off_season"] is True
    assert (first["placements"][0]["seller_id"], first["placements"][0]["seasonal"]) == (
        seasonal, True)
    assert "penjual musiman diutamakan" in first["placements"][0]["reason"]


def test_a_seller_paused_since_applying_is_left_out_of_the_allocation(runtime, client):
    officer = lurah(runtime)
    event = open_bazaar(client, officer, booths=1)
    stays, stops = seller(runtime, client), seller(runtime, client)
    apply(client, officer, event["id"], stays)
    apply(client, officer, event["id"], stops)
    assert client.post(f"/sellers/{stops}/pause", headers=officer,
                       json={"reason": "Usaha berhenti"}).status_code == 200

    body = client.post(f"/bazaars/{event['id']}/allocation", headers=officer).json()
    assert [(p["seller_id"], p["status"], p["rank"]) for p in body["placements"]] == [
        (stays, "allocated", 1)]
    left = {a["seller_id"]: a for a in client.get(f"/bazaars/{event['id']}/applications",
                                                  headers=officer).json()}[stops]
    assert (left["status"], left["rank"]) == ("withdrawn", None)
    assert left["reason"] == ("Tidak ikut alokasi: penjual berstatus dihentikan sementara saat "
                              "alokasi.")
    assert client.get(f"/bazaars/{event['id']}/allocation",
                      headers=officer).json()["same_from_seed"] is True


def test_a_withdrawn_booth_passes_to_the_next_in_line(runtime, client):
    officer = lurah(runtime)
    event = open_bazaar(client, officer, booths=1)
    people = [seller(runtime, client) for _ in range(3)]
    applications = {s: apply(client, officer, event["id"], s)["id"] for s in people}
    placements = client.post(f"/bazaars/{event['id']}/allocation",
                             headers=officer).json()["placements"]
    holder, first_in_line, second_in_line = (p["seller_id"] for p in placements)

    gone = client.post(f"/bazaars/{event['id']}/applications/{applications[holder]}/withdrawal",
                       headers=officer)
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    now = {p["seller_id"]: p for p in client.get(f"/bazaars/{event['id']}/applications",
                                                 headers=officer).json()}
    assert now[first_in_line]["status"] == "allocated" and now[first_in_line]["rank"] == 2
    assert now[first_in_line]["reason"].startswith("Mendapat stand yang dilepas")
    assert now[second_in_line]["status"] == "waitlisted"
    twice = client.post(f"/bazaars/{event['id']}/applications/{applications[holder]}/withdrawal",
                        headers=officer)
    assert twice.status_code == 409 and twice.json()["field"] == "application_id"
    stranger = client.post(
        f"/bazaars/{event['id']}/applications/{applications[second_in_line]}/withdrawal",
        headers=lurah(runtime, PONDOK_LABU))
    assert stranger.status_code == 404

    [first, second] = outbox_events(runtime, BoothsAllocated.TYPE)
    assert [h["seller_id"] for h in first.data["allocated"]] == [holder]
    assert (second.data["revision"], [h["seller_id"] for h in second.data["allocated"]],
            [w["seller_id"] for w in second.data["waitlist"]]) == (
        2, [first_in_line], [second_in_line])
    assert second.data["seed"] == first.data["seed"]
    # The officers of each applicant's kelurahan are told the place and why, and again when a
    # booth passes on.
    told = [n.data["parameters"] for n in outbox_events(runtime, NotificationRequested.TYPE)
            if n.data["template"] == "marketplace.bazaar_booth"]
    assert [(t["seller_id"], t["outcome"], t["rank"]) for t in told] == [
        (holder, "allocated", "1"), (first_in_line, "waitlisted", "2"),
        (second_in_line, "waitlisted", "3"), (first_in_line, "allocated", "2")]
    assert told[1]["reason"].startswith("Daftar tunggu nomor 1")
    # The audit still recomputes the original ranks.
    assert client.get(f"/bazaars/{event['id']}/allocation",
                      headers=officer).json()["same_from_seed"] is True
    # Once a bazaar is over, its booths are not given back any more.
    past = open_bazaar(client, officer, booths=1,
                       starts_on=today_in_jakarta() - timedelta(days=3))
    used = apply(client, officer, past["id"], first_in_line)
    client.post(f"/bazaars/{past['id']}/allocation", headers=officer)
    late = client.post(f"/bazaars/{past['id']}/applications/{used['id']}/withdrawal",
                       headers=officer)
    assert late.status_code == 409 and late.json()["field"] == "application_id"


def test_bazaar_sales_are_recorded_for_booth_holders_and_reported(runtime, client):
    officer = lurah(runtime)
    today = today_in_jakarta()
    event = open_bazaar(client, officer, booths=1, starts_on=today - timedelta(days=1),
                        ends_on=today)
    holder, waiting = seller(runtime, client), seller(runtime, client)
    apply(client, officer, event["id"], holder)
    apply(client, officer, event["id"], waiting)
    placements = client.post(f"/bazaars/{event['id']}/allocation",
                             headers=officer).json()["placements"]
    holder, waiting = placements[0]["seller_id"], placements[1]["seller_id"]

    def sell(seller_id: str, sold_on: date, amount: int = 150_000, headers=officer):
        return client.post(f"/bazaars/{event['id']}/sales", headers=headers, json={
            "seller_id": seller_id, "amount": amount, "quantity": 6, "sold_on": str(sold_on)})

    first = sell(holder, today - timedelta(days=1))
    assert first.status_code == 201, first.text
    assert (first.json()["channel"], first.json()["source_ref"]) == ("bazaar",
                                                                     f"bazaar:{event['id']}")
    assert sell(holder, today, 250_000).status_code == 201
    no_booth = sell(waiting, today)
    assert no_booth.status_code == 409 and no_booth.json()["field"] == "seller_id"
    outside = sell(holder, today - timedelta(days=2))
    assert outside.status_code == 422 and outside.json()["field"] == "sold_on"
    camat_of_elsewhere = auth_headers(runtime.settings, "kecamatan_officer", area="31.74.07")
    assert sell(holder, today, headers=camat_of_elsewhere).status_code == 404
    [sale, _] = outbox_events(runtime, SaleRecorded.TYPE)
    assert (sale.data["channel"], sale.data["amount"], sale.data["quantity"]) == (
        "bazaar", 150_000, 6)

    report = client.get(f"/bazaars/{event['id']}/report", headers=officer).json()
    assert report["totals"] == {"booths": 1, "applicants": 2, "allocated": 1, "waitlisted": 1,
                                "withdrawn": 0, "sales": 2, "quantity": 12, "amount": 400_000}
    rows = {r["seller_id"]: r for r in report["rows"]}
    assert (rows[holder]["sales"], rows[holder]["amount"], rows[waiting]["amount"]) == (
        2, 400_000, 0)
    text = client.get(f"/bazaars/{event['id']}/report", headers=officer,
                      params={"format": "csv"})
    assert text.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(text.text)))
    assert lines[0][:2] == ["seller_id", "display_name"] and len(lines) == 4
    assert lines[-1][0] == "total" and lines[-1][-1] == "400000"


def test_bazaar_events_are_read_back_from_kafka(runtime, client):
    officer = lurah(runtime)
    invited = seller(runtime, client)
    event = open_bazaar(client, officer, booths=1)
    apply(client, officer, event["id"], invited)
    client.post(f"/bazaars/{event['id']}/allocation", headers=officer)
    publish_pending(runtime)

    def mine(messages):
        return [e for e in envelopes(messages) if e.subject == event["id"]]

    read = mine(asyncio.run(read_topic(runtime.relay.bootstrap, "marketplace.events",
                                       until=lambda ms: len(mine(ms)) >= 2)))
    assert [e.type for e in read] == [MarketEventCreated.TYPE, BoothsAllocated.TYPE]
    assert read[1].data["allocated"][0]["seller_id"] == invited
    assert read[1].data["seed"] == client.get(f"/bazaars/{event['id']}",
                                              headers=officer).json()["seed"]

    def invitation(messages):
        return [e for e in envelopes(messages) if e.type == NotificationRequested.TYPE
                and e.data["parameters"].get("event_id") == event["id"]]

    notes = invitation(asyncio.run(read_topic(runtime.relay.bootstrap, "notifications.events",
                                              until=lambda ms: len(invitation(ms)) >= 1)))
    assert notes[0].data["parameters"]["seller_id"] == invited
