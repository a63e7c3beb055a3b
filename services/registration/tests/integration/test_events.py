"""Every transition reaches Kafka, in order per participant, and no NIK or KK travels."""

import asyncio
from collections import defaultdict

from sqlalchemy import select

from berdaya_shared.testing import envelopes, publish_pending, read_topic
from registration.adapters.tables import outbox

from .helpers import (
    admin,
    apply,
    born,
    create_programme,
    expect,
    lurah_office,
    person,
    register,
    up2k,
    verify,
    withdraw,
)

TOPIC = "registration.events"


def test_each_transition_is_published_in_order_without_nik_or_kk(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k(total_capacity=1, kelurahan_quota=None))
    bodies = {"first": person("Siti Aminah", birth_date=born(1)),
              "second": person("Nur Hasanah", birth_date=born(2)),
              "refused": person("Ahmad Fauzi", gender="M", cadre=False, birth_date=born(3))}
    people = {key: register(client, office, body) for key, body in bodies.items()}
    applied = {key: apply(client, office, p["id"], programme["id"]) for key, p in people.items()}
    decided = {key: verify(client, office, a["id"])["status"] for key, a in applied.items()}
    assert decided == {"first": "enrolled", "second": "waitlisted", "refused": "rejected"}
    withdraw(client, office, applied["first"]["id"])  # the seat passes to the second
    expect(client.patch(f"/participants/{people['first']['id']}", headers=office,
                        json={"phone": "0813-1111-2222"}), 200)
    assert expect(client.get(f"/applications/{applied['second']['id']}",
                             headers=office), 200)["status"] == "enrolled"

    with runtime.engine.connect() as conn:
        pending = len(conn.execute(select(outbox.c.seq)).all())
    assert publish_pending(runtime) == pending == 12
    with runtime.engine.connect() as conn:
        assert conn.execute(select(outbox.c.seq).where(outbox.c.published_at.is_(None))).all() == []

    ours = {p["id"]: key for key, p in people.items()}
    wanted = {"first": ["participant_registered", "application_submitted", "participant_enrolled",
                        "enrolment_withdrawn", "participant_updated"],
              "second": ["participant_registered", "application_submitted",
                         "participant_waitlisted", "participant_enrolled"],
              "refused": ["participant_registered", "application_submitted",
                          "application_rejected"]}

    def seen(messages) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        by_person: dict[str, list[str]] = defaultdict(list)
        for event in envelopes(messages):
            if event.subject in ours:
                by_person[ours[event.subject]].append(event.type.split(".")[1])
        return by_person

    messages = asyncio.run(read_topic(runtime.relay.bootstrap, TOPIC, timeout=30, until=lambda ms: {
        k: len(v) for k, v in seen(ms).items()} == {k: len(v) for k, v in wanted.items()}))
    assert dict(seen(messages)) == wanted

    mine = [m for m in messages if m.key and m.key.decode() in ours]
    for message, event in zip(mine, envelopes(mine), strict=True):
        assert message.key.decode() == event.subject  # the participant is the key: one partition
        assert event.source == "berdaya/registration" and event.type.endswith(".v1")
    enrolled = [e for e in envelopes(mine) if e.type.endswith("participant_enrolled.v1")]
    assert {(e.subject, e.data["programme_code"], e.data["full_name"]) for e in enrolled} == {
        (people["first"]["id"], programme["code"], "Siti Aminah"),
        (people["second"]["id"], programme["code"], "Nur Hasanah")}  # no order across partitions

    # Every message this service published here (the topic also holds other runs' messages).
    with runtime.engine.connect() as conn:
        published = set(conn.execute(select(outbox.c.event_id)).scalars())
    ours_on_topic = [m for m, e in zip(messages, envelopes(messages), strict=True) if e.id in published]
    assert len(ours_on_topic) == len(published) == 12
    secrets = [s.encode() for body in bodies.values() for s in (body["nik"], body["kk_number"])]
    assert not [m.offset for m in ours_on_topic for s in secrets if s in m.value]
    assert expect(client.get("/participants", headers=admin(client)), 200)["items"]
