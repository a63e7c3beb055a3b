"""ParticipantGraduated -> a seller profile and SellerProfileCreated; officers read their area."""

import asyncio
import uuid

from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.events import new_event
from berdaya_shared.events.marketplace import SellerProfileCreated
from berdaya_shared.events.registration import ParticipantUpdated
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic, wait_until
from marketplace.adapters.tables import SellerProfile, outbox
from marketplace.messaging import incoming

from .conftest import graduation

LEBAK_BULUS, PONDOK_LABU = "31.71.03.1004", "31.71.03.1005"


def count(runtime, what) -> int:
    with transaction(runtime.sessions) as session:
        return session.execute(select(func.count()).select_from(what)).scalar_one()


def test_graduate_gets_a_seller_profile_and_the_event_is_published(runtime, graduate):
    envelope = graduation(str(uuid.uuid4()), full_name="Siti Aminah", track="kue-basah")
    seller = graduate(envelope=envelope)
    assert (seller.display_name, seller.status, seller.track) == ("Siti Aminah", "pending_consent",
                                                                   "kue-basah")
    assert seller.phone == envelope.data["phone"]

    assert publish_pending(runtime) == 1
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "marketplace.events",
        until=lambda ms: any(e.subject == envelope.subject for e in envelopes(ms)))))
    mine = [e for e in published if e.subject == envelope.subject]
    assert len(mine) == 1 and mine[0].type == SellerProfileCreated.TYPE
    assert mine[0].data["seller_id"] == seller.id
    assert (mine[0].causationid, mine[0].correlationid) == (envelope.id, envelope.correlationid)
    assert "phone" not in mine[0].data


def test_the_same_graduation_twice_makes_one_profile_and_one_event(runtime, graduate):
    envelope = graduation(str(uuid.uuid4()))
    first, again = graduate(envelope=envelope), graduate(envelope=envelope)
    later = graduate(envelope=graduation(envelope.subject, programme_code="UEP-JAKTIM"))
    assert first.id == again.id == later.id and later.programme_code == "UP2K-CILANDAK"
    assert count(runtime, SellerProfile) == 1 and count(runtime, outbox) == 1


def test_the_consumer_runner_turns_a_published_graduation_into_a_seller(runtime):
    envelope = graduation(str(uuid.uuid4()))

    def seller():
        with transaction(runtime.sessions) as session:
            return session.execute(select(SellerProfile.id).where(
                SellerProfile.participant_id == envelope.subject)).scalar_one_or_none()

    async def go() -> None:
        await ensure_topics(runtime.consumer.bootstrap, runtime.consumer.topics)
        producer = new_producer(runtime.consumer.bootstrap, client_id="test-training")
        await producer.start()
        await producer.send_and_wait("training.events", value=envelope.to_bytes(),
                                     key=envelope.subject.encode())
        await producer.stop()
        consuming = asyncio.create_task(runtime.consumer.run())
        try:
            await asyncio.to_thread(wait_until, seller, what="seller profile", timeout=90)
        finally:
            runtime.consumer.stop()
            await consuming

    asyncio.run(go())
    assert seller() is not None


def test_officers_see_only_sellers_of_their_area(runtime, client, graduate):
    mine, theirs = graduate(LEBAK_BULUS), graduate(PONDOK_LABU)
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=LEBAK_BULUS)
    listed = client.get("/sellers", headers=lurah).json()
    assert [s["id"] for s in listed["items"]] == [mine.id] and listed["next_cursor"] is None
    assert client.get(f"/sellers/{mine.id}", headers=lurah).json()["phone"] == mine.phone
    hidden = client.get(f"/sellers/{theirs.id}", headers=lurah)
    assert hidden.status_code == 404 and hidden.json()["field"] == "seller_id"
    assert client.get(f"/sellers/{theirs.id}/products", headers=lurah).status_code == 404

    camat = auth_headers(runtime.settings, "kecamatan_officer", area="31.71.03")
    page = client.get("/sellers", params={"limit": 1}, headers=camat).json()
    rest = client.get("/sellers", params={"cursor": page["next_cursor"]}, headers=camat).json()
    assert {s["id"] for s in page["items"] + rest["items"]} == {mine.id, theirs.id}


def test_officers_filter_sellers_by_status(runtime, client, graduate, pause):
    graduate()
    paused = graduate()
    pause(paused.id)
    admin = auth_headers(runtime.settings, "city_admin")
    listed = client.get("/sellers", params={"status": "paused"}, headers=admin).json()["items"]
    assert [s["id"] for s in listed] == [paused.id]
    wrong = client.get("/sellers", params={"status": "closed"}, headers=admin)
    assert wrong.status_code == 422 and wrong.json()["field"] == "status"


def test_seller_endpoints_need_a_token_and_an_officer_role(runtime, client, graduate):
    seller = graduate()
    assert client.get("/sellers").status_code == 401
    assert client.get(f"/sellers/{seller.id}").status_code == 401
    trainer = auth_headers(runtime.settings, "trainer")
    assert client.get(f"/sellers/{seller.id}", headers=trainer).status_code == 403


def test_a_corrected_name_and_phone_reach_the_seller_profile(runtime, graduate):
    seller = graduate()
    update = {**ParticipantUpdated.EXAMPLE, "participant_id": seller.participant_id,
              "full_name": "Ratna Sari", "phone": "+6285711112222",
              "changed_fields": ["full_name", "phone"]}
    handler = incoming.handlers_for(runtime.settings)[ParticipantUpdated.TYPE]
    with transaction(runtime.sessions) as session:
        handler(session, new_event(ParticipantUpdated(**update), subject=seller.participant_id,
                                   source="test"))
    with transaction(runtime.sessions) as session:
        refreshed = session.get(SellerProfile, seller.id)
        assert (refreshed.display_name, refreshed.phone) == ("Ratna Sari", "+6285711112222")
