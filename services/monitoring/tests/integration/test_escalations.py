"""The escalation ladder over time (an injected clock): 7 days overdue -> the lurah, 14 -> the
camat; closed when the visit is reassigned or recorded; reminders to field officers; the
events and notification requests read back from Kafka."""

import asyncio
from datetime import UTC, date, datetime
from functools import partial

import pytest
from fastapi.testclient import TestClient

from berdaya_shared.events import new_event
from berdaya_shared.events.monitoring import EscalationRaised
from berdaya_shared.events.notifications import NotificationRequested
from berdaya_shared.events.registration import ParticipantUpdated
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic, service_runtime
from monitoring import jobs
from monitoring.bootstrap import build
from monitoring.config import MonitoringSettings

from .conftest import OFFSETS
from .helpers import CILANDAK_BARAT, apply, graduate, outbox_events, visits_of

KECAMATAN = CILANDAK_BARAT[:8]


class Clock:
    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clocked(database_url, kafka_bootstrap):
    clock = Clock(date(2025, 4, 16))
    with service_runtime(partial(build, today=clock), MonitoringSettings, database_url,
                         kafka_bootstrap, visit_offsets_days=OFFSETS) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client, clock


def sweep(runtime, clock: Clock, day: date) -> tuple[int, int]:
    clock.today = day
    return jobs.sweep(runtime.sessions, source=runtime.settings.source, today=day,
                      reminder_days_before=2)


def test_an_overdue_visit_climbs_the_ladder_and_closes(clocked):
    runtime, client, clock = clocked
    camat = auth_headers(runtime.settings, "kecamatan_officer", area=KECAMATAN, subject="camat")
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    for officer in ("petugas-a", "petugas-b"):
        client.put(f"/field-officers/{officer}", headers=camat,
                   json={"kelurahan_codes": [CILANDAK_BARAT]})
    # Graduated Wednesday 16 April 2025; the first visit was due the day before.
    person = graduate(runtime, graduated_at=datetime(2025, 4, 16, 3, 0, tzinfo=UTC)).subject
    visit = visits_of(runtime, client, person)[0]
    assert visit["due_on"] == "2025-04-15"

    assert sweep(runtime, clock, date(2025, 4, 21)) == (0, 0)     # 6 days late
    assert sweep(runtime, clock, date(2025, 4, 22)) == (1, 0)     # 7 days: the lurah
    assert sweep(runtime, clock, date(2025, 4, 22)) == (0, 0)     # once per level
    assert sweep(runtime, clock, date(2025, 4, 29)) == (1, 0)     # 14 days: the camat
    opened = client.get("/escalations", headers=camat).json()["items"]
    assert sorted((e["level"], e["role"], e["area_code"], e["days_overdue"]) for e in opened) == [
        (1, "kelurahan_officer", CILANDAK_BARAT, 7), (2, "kecamatan_officer", KECAMATAN, 14)]
    assert [e["level"] for e in client.get("/escalations?level=2", headers=camat)
            .json()["items"]] == [2]
    plan = client.get(f"/plans/{visit['plan_id']}", headers=camat).json()
    assert [e["level"] for e in plan["open_escalations"]] == [1, 2]
    elsewhere = auth_headers(runtime.settings, "kecamatan_officer", area="31.75.10")
    assert client.get("/escalations", headers=elsewhere).json()["items"] == []
    work = client.get("/work-list", headers=lurah).json()["items"]
    assert [(w["visit_id"], w["days_overdue"], w["escalation_level"]) for w in work] == [
        (visit["id"], 14, 2)]
    assert len(client.get("/work-list?escalated_only=true", headers=lurah).json()["items"]) == 1

    # The camat hands the visit to the other officer: both escalations close, the count
    # restarts on 29 April.
    moved = client.post(f"/visits/{visit['id']}/assign", headers=camat,
                        json={"officer": "petugas-b" if visit["assigned_to"] == "petugas-a"
                              else "petugas-a"})
    assert moved.status_code == 200, moved.text
    assert client.get("/escalations", headers=camat).json()["items"] == []
    assert client.get("/work-list?escalated_only=true", headers=lurah).json()["items"] == []
    closed = client.get("/escalations?status=all", headers=camat).json()["items"]
    assert {e["closed_reason"] for e in closed} == {"reassigned"}
    assert sweep(runtime, clock, date(2025, 5, 5)) == (0, 0)
    assert sweep(runtime, clock, date(2025, 5, 6)) == (1, 0)      # 7 days after reassignment

    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)
    done = client.post(f"/visits/{visit['id']}/record", headers=officer,
                       json={"visited_on": "2025-05-06", "production_days_per_week": 5})
    assert done.status_code == 200, done.text
    assert client.get("/escalations", headers=camat).json()["items"] == []
    assert sweep(runtime, clock, date(2025, 5, 20)) == (0, 0)  # the second visit: 4 days late

    raised = [e for e in outbox_events(runtime, EscalationRaised.TYPE) if e.subject == person]
    assert [(e.data["level"], e.data["days_overdue"]) for e in raised] == [(1, 7), (2, 14), (1, 21)]
    notes = [e for e in outbox_events(runtime, NotificationRequested.TYPE) if e.subject == person]
    assert [(n.data["recipient_role"], n.data["recipient_area"], n.data["template"])
            for n in notes] == [("kelurahan_officer", CILANDAK_BARAT, "monitoring.escalation"),
                                ("kecamatan_officer", KECAMATAN, "monitoring.escalation"),
                                ("kelurahan_officer", CILANDAK_BARAT, "monitoring.escalation")]
    assert all(n.data["channels"] == ["whatsapp", "sms"] and n.data["language"] == "id"
               for n in notes)

    publish_pending(runtime)
    asyncio.run(read_topic(runtime.relay.bootstrap, "notifications.events", until=lambda ms: sum(
        e.subject == person for e in envelopes(ms)) >= 3))
    asyncio.run(read_topic(runtime.relay.bootstrap, "monitoring.events", until=lambda ms: sum(
        e.subject == person and e.type == EscalationRaised.TYPE for e in envelopes(ms)) >= 3))


def test_field_officers_are_reminded_once_before_a_visit(clocked):
    runtime, client, clock = clocked
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    client.put("/field-officers/petugas-a", headers=lurah, json={"kelurahan_codes": [CILANDAK_BARAT]})
    person = graduate(runtime, graduated_at=datetime(2025, 4, 16, 3, 0, tzinfo=UTC)).subject
    second = visits_of(runtime, client, person)[1]
    assert second["due_on"] == "2025-05-16"
    assert sweep(runtime, clock, date(2025, 5, 13))[1] == 0
    assert sweep(runtime, clock, date(2025, 5, 14))[1] == 1
    assert sweep(runtime, clock, date(2025, 5, 15))[1] == 0
    [reminder] = [n for n in outbox_events(runtime, NotificationRequested.TYPE)
                  if n.data["template"] == "monitoring.visit_reminder"]
    assert reminder.data["recipient_subject"] == "petugas-a"
    assert reminder.data["parameters"]["due_on"] == "2025-05-16"
    assert "nik" not in reminder.data["parameters"]


def test_the_ladder_is_data_a_city_admin_changes(clocked):
    runtime, client, clock = clocked
    admin_subject = "admin-ekonomi"
    admin = auth_headers(runtime.settings, "city_admin", subject=admin_subject)
    camat = auth_headers(runtime.settings, "kecamatan_officer", area=KECAMATAN)
    assert client.get("/escalation-ladder", headers=camat).json() == [
        {"level": 1, "days_overdue": 7, "role": "kelurahan_officer", "set_by": None,
         "set_at": None},
        {"level": 2, "days_overdue": 14, "role": "kecamatan_officer", "set_by": None,
         "set_at": None}]
    assert client.put("/escalation-ladder", headers=camat, json={"steps": [
        {"days_overdue": 3, "role": "kelurahan_officer"}]}).status_code == 403
    for steps in ([], [{"days_overdue": 7, "role": "kelurahan_officer"},
                       {"days_overdue": 7, "role": "kecamatan_officer"}],
                  [{"days_overdue": 7, "role": "trainer"}], [{"days_overdue": 0,
                                                              "role": "city_admin"}]):
        refused = client.put("/escalation-ladder", headers=admin, json={"steps": steps})
        assert refused.status_code == 422 and refused.json()["field"].startswith("steps"), steps
    changed = client.put("/escalation-ladder", headers=admin, json={"steps": [
        {"days_overdue": 3, "role": "kelurahan_officer"},
        {"days_overdue": 30, "role": "city_admin"}]})
    assert changed.status_code == 200, changed.text
    ladder = client.get("/escalation-ladder", headers=camat).json()
    assert [(s["level"], s["days_overdue"], s["set_by"]) for s in ladder] == [
        (1, 3, admin_subject), (2, 30, admin_subject)]
    assert all(s["set_at"] for s in ladder)

    person = graduate(runtime, graduated_at=datetime(2025, 4, 16, 3, 0, tzinfo=UTC)).subject
    assert sweep(runtime, clock, date(2025, 4, 18)) == (1, 0)   # 3 days late: the lurah
    assert sweep(runtime, clock, date(2025, 5, 15)) == (1, 0)   # 30 days: the city admin
    raised = [(e.data["level"], e.data["role"], e.data["area_code"])
              for e in outbox_events(runtime, EscalationRaised.TYPE) if e.subject == person]
    assert raised == [(1, "kelurahan_officer", CILANDAK_BARAT), (2, "city_admin", "31.71")]


def test_a_graduate_who_moves_takes_their_visits_and_escalations_to_the_new_area(clocked):
    """ParticipantUpdated with a new kelurahan (another kecamatan): the overdue visit and its
    open escalations leave the old lurah's and camat's lists for the new ones, and the visit
    goes to the officer who covers the new kelurahan."""
    runtime, client, clock = clocked
    new_kelurahan = "31.74.06.1001"  # Cilandak Barat in the gazetteer; the old code is not
    old_camat = auth_headers(runtime.settings, "kecamatan_officer", area=KECAMATAN)
    old_lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    new_camat = auth_headers(runtime.settings, "kecamatan_officer", area=new_kelurahan[:8])
    new_lurah = auth_headers(runtime.settings, "kelurahan_officer", area=new_kelurahan)
    client.put("/field-officers/petugas-lama", headers=old_camat,
               json={"kelurahan_codes": [CILANDAK_BARAT]})
    client.put("/field-officers/petugas-baru", headers=new_camat,
               json={"kelurahan_codes": [new_kelurahan]})
    person = graduate(runtime, graduated_at=datetime(2025, 4, 16, 3, 0, tzinfo=UTC)).subject
    visit = visits_of(runtime, client, person)[0]
    assert visit["assigned_to"] == "petugas-lama"
    assert sweep(runtime, clock, date(2025, 4, 29)) == (2, 0)  # 14 days: lurah and camat

    update = {**ParticipantUpdated.EXAMPLE, "participant_id": person, "full_name": "Siti Aminah",
              "kelurahan_code": new_kelurahan, "kecamatan_code": new_kelurahan[:8],
              "kota_code": new_kelurahan[:5], "changed_fields": ["kelurahan_code"]}
    apply(runtime, new_event(ParticipantUpdated(**update), subject=person, source="test"))

    assert client.get("/work-list", headers=old_lurah).json()["items"] == []
    assert client.get("/escalations", headers=old_camat).json()["items"] == []
    work = client.get("/work-list", headers=new_lurah).json()["items"]
    assert [(w["visit_id"], w["escalation_level"]) for w in work] == [(visit["id"], 2)]
    opened = client.get("/escalations", headers=new_camat).json()["items"]
    assert sorted((e["level"], e["area_code"]) for e in opened) == [
        (1, new_kelurahan), (2, new_kelurahan[:8])]
    assert visits_of(runtime, client, person)[0]["assigned_to"] == "petugas-baru"
    field_officer = auth_headers(runtime.settings, "field_officer", area=new_kelurahan,
                                 subject="petugas-baru")
    assert [w["visit_id"] for w in client.get("/work-list", headers=field_officer)
            .json()["items"]] == [visit["id"]]
