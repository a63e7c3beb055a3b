"""On PostgreSQL, issue 8's concurrent paths: escalation sweeps running at once raise each
escalation once; an officer's coverage set by several people at once ends whole (200 or
409, never a 500); a visit recorded and reassigned at once is recorded once."""

from datetime import UTC, date, datetime
from functools import partial

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from berdaya_shared.events.monitoring import EscalationRaised, VisitRecorded
from berdaya_shared.testing import auth_headers, service_runtime
from berdaya_shared.testing.races import at_once
from monitoring import jobs
from monitoring.adapters.tables import Escalation
from monitoring.bootstrap import build
from monitoring.config import MonitoringSettings

from .conftest import OFFSETS
from .helpers import CILANDAK_BARAT, graduate, outbox_events, visits_of

RACERS = 6
KEBON_KOSONG = "31.71.03.1002"


@pytest.fixture
def pg(postgres_url, kafka_bootstrap):
    with service_runtime(partial(build, today=lambda: date(2025, 5, 1)), MonitoringSettings,
                         postgres_url, kafka_bootstrap, visit_offsets_days=OFFSETS) as runtime:
        with TestClient(runtime.create_app()) as client:
            yield runtime, client


def test_sweeps_at_once_raise_each_escalation_once(pg):
    runtime, _ = pg
    for _ in range(3):  # first visits due 14 April 2025: 17 days late on 1 May
        graduate(runtime, graduated_at=datetime(2025, 4, 15, 3, 0, tzinfo=UTC))

    outcomes = at_once(RACERS, lambda _: jobs.sweep(runtime.sessions, source="t",
                                                    today=date(2025, 5, 1),
                                                    reminder_days_before=2))

    assert sum(raised for raised, _ in outcomes) == 6  # 3 visits x 2 levels
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Escalation)).scalar_one() == 6
    assert len(outbox_events(runtime, EscalationRaised.TYPE)) == 6


def test_one_officers_coverage_set_at_once_ends_whole(pg):
    runtime, client = pg
    camat = auth_headers(runtime.settings, "kecamatan_officer", area=CILANDAK_BARAT[:8])
    bodies = [{"kelurahan_codes": [CILANDAK_BARAT, KEBON_KOSONG][: 1 + i % 2]}
              for i in range(RACERS)]

    answers = at_once(RACERS, lambda i: client.put("/field-officers/petugas-a", headers=camat,
                                                   json=bodies[i]))

    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    assert 200 in {a.status_code for a in answers}
    final = client.get("/field-officers/petugas-a", headers=camat).json()["kelurahan_codes"]
    assert final in ([CILANDAK_BARAT], [CILANDAK_BARAT, KEBON_KOSONG])


def test_a_visit_recorded_and_reassigned_at_once_is_recorded_once(pg):
    runtime, client = pg
    lurah = auth_headers(runtime.settings, "kelurahan_officer", area=CILANDAK_BARAT)
    for officer in ("petugas-a", "petugas-b"):
        client.put(f"/field-officers/{officer}", headers=lurah,
                   json={"kelurahan_codes": [CILANDAK_BARAT]})
    person = graduate(runtime, graduated_at=datetime(2025, 4, 15, 3, 0, tzinfo=UTC)).subject
    visit = visits_of(runtime, client, person)[0]
    officer = auth_headers(runtime.settings, "field_officer", area=CILANDAK_BARAT)

    def act(i: int):
        if i % 2:
            return client.post(f"/visits/{visit['id']}/assign", headers=lurah,
                               json={"officer": "petugas-b"})
        return client.post(f"/visits/{visit['id']}/record", headers=officer,
                           json={"visited_on": "2025-04-30", "production_days_per_week": 6})

    answers = at_once(RACERS, act)

    records = [a.status_code for i, a in enumerate(answers) if i % 2 == 0]
    assigns = [a.status_code for i, a in enumerate(answers) if i % 2]
    assert sorted(records) == [200, 409, 409]
    # an assignment after the visit is recorded: 409; after another assignment to the same
    # officer: 422 (already theirs)
    assert set(assigns) <= {200, 409, 422}
    assert visits_of(runtime, client, person)[0]["status"] == "done"
    assert len(outbox_events(runtime, VisitRecorded.TYPE)) == 1
