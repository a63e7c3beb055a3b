"""Logs are JSON, one event per line, carry the request's correlation id (which the emitted
events carry too), and never a NIK or KK."""

import json
import logging

import structlog

from berdaya_shared.logging import configure_logging

from .helpers import expect, lurah_office, outbox_events, person, sqlite_only


@sqlite_only
def test_request_logs_are_json_with_ids_and_without_nik(runtime, client, capsys):
    configure_logging("registration", "INFO")
    try:
        body = person("Siti Aminah")
        capsys.readouterr()
        expect(client.post("/participants", headers={**lurah_office(client),
                                                     "X-Correlation-ID": "portal-req-42"},
                           json=body), 201)
        refused = client.post("/participants", headers=lurah_office(client),
                              json={**body, "nik": body["nik"][:-1] + "x"})
        assert refused.status_code == 422
        out = capsys.readouterr().out
    finally:  # leave logging as the other tests found it
        structlog.reset_defaults()
        structlog.contextvars.clear_contextvars()
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    requests = [entry for entry in lines if entry.get("event") == "http.request"]
    assert [r["status"] for r in requests] == [201, 422]
    assert requests[0]["correlation_id"] == "portal-req-42" and requests[0]["request_id"]
    assert all(r["service"] == "registration" for r in requests)
    assert body["nik"] not in out and body["kk_number"] not in out
    registered = outbox_events(runtime, "participant_registered")
    assert [e["correlationid"] for e in registered] == ["portal-req-42"]
