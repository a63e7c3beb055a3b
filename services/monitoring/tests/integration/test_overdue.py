"""The overdue-visits job emits one VisitOverdue per overdue visit, however often it runs."""

import asyncio

import pytest

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.db import transaction
from berdaya_shared.events.monitoring import VisitOverdue
from berdaya_shared.testing import auth_headers, envelopes, publish_pending, read_topic
from monitoring.service_layer import handlers

from .conftest import monitoring_runtime
from .helpers import graduate, outbox_events, visits_of


def test_overdue_job_flags_each_overdue_visit_once(runtime, client):
    late = [graduate(runtime).subject for _ in range(2)]
    visited = graduate(runtime).subject
    officer = auth_headers(runtime.settings, "field_officer", area="31.71.03.1001")
    assert client.post(f"/visits/{visits_of(runtime, client, visited)[0]['id']}/record",
                       headers=officer, json={"visited_on": today_in_jakarta().isoformat(),
                                              "business_status": "producing_daily"}
                       ).status_code == 200

    assert [j.name for j in runtime.jobs] == ["overdue-visits", "escalations"]
    job = runtime.jobs[0]
    asyncio.run(job.run())
    asyncio.run(job.run())

    overdue = outbox_events(runtime, VisitOverdue.TYPE)
    assert sorted(e.subject for e in overdue) == sorted(late)
    for person in late:
        first, second = visits_of(runtime, client, person)
        assert first["overdue_flagged_at"] is not None and second["overdue_flagged_at"] is None
        assert [e.data["visit_id"] for e in overdue if e.subject == person] == [first["id"]]
    assert visits_of(runtime, client, visited)[0]["overdue_flagged_at"] is None

    publish_pending(runtime)
    published = envelopes(asyncio.run(read_topic(
        runtime.relay.bootstrap, "monitoring.events",
        until=lambda ms: all(any(e.subject == p and e.type == VisitOverdue.TYPE
                                 for e in envelopes(ms)) for p in late))))
    assert sorted(e.subject for e in published if e.type == VisitOverdue.TYPE
                  and e.subject in late + [visited]) == sorted(late)


@pytest.mark.timeout(30)  # without SKIP LOCKED the second run waits on the first
def test_concurrent_runs_never_flag_a_visit_twice(postgres_url, kafka_bootstrap):
    with monitoring_runtime(postgres_url, kafka_bootstrap) as runtime:
        for _ in range(3):
            graduate(runtime)
        today = today_in_jakarta()
        with transaction(runtime.sessions) as first:
            taken = handlers.flag_overdue_visits(session=first, today=today, source="t", limit=2)
            with transaction(runtime.sessions) as second:  # while the first holds its rows
                rest = handlers.flag_overdue_visits(session=second, today=today, source="t")
        assert (taken, rest) == (2, 1)
        with transaction(runtime.sessions) as again:
            assert handlers.flag_overdue_visits(session=again, today=today, source="t") == 0
        overdue = outbox_events(runtime, VisitOverdue.TYPE)
        assert len({e.data["visit_id"] for e in overdue}) == len(overdue) == 3
