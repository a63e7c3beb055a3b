"""Two of each role of a service, as real processes, share the work; killing one of each
mid-stream loses nothing and applies nothing twice.

Training on PostgreSQL and the 3-broker cluster, started the way production starts it:
``python -m training migrate`` once, then ``api``, ``consumer`` and ``relay`` twice each.
Registration's enrolments arrive on ``registration.events`` (published here as registration's
relay would, a tenth of them twice, as a relay that crashed after sending would); a city
admin creates cohorts through both APIs, each cohort a ``CohortScheduled`` on
``training.events`` through the relays. Once each process's ``/metrics`` shows it has done a
share (the group split the partitions, the relays split the rows, requests went to both
APIs), one API, one consumer and one relay are SIGKILLed while both streams go on. Then:
every enrolment is on the roster once, every cohort the admin was told was created exists,
and each cohort's event is on Kafka (at least once; the event ids are exactly the outbox
rows).
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from berdaya_shared.events import new_event
from berdaya_shared.events.registration import ParticipantEnrolled
from berdaya_shared.kafka import ensure_topics, new_producer
from berdaya_shared.testing import auth_headers, envelopes, read_topic, wait_until
from berdaya_shared.testing.plugin import create_database, drop_database

from .conftest import Cluster

ENROLMENTS, COHORTS, REPUBLISHED = 2000, 30, 200
PROGRAMME = str(uuid.uuid4())
TRACK = {"code": "tata-boga", "name": "Tata Boga", "hours": 40, "kit_type": "alat masak set",
         "kit_items": ["kompor", "wajan"], "min_attendance_share": 0.75, "min_score": 70}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Role:
    """One ``python -m training <role>`` process with its log file and its own port."""

    def __init__(self, role: str, n: int, env: dict[str, str], logs: Path) -> None:
        self.name, self.port = f"{role}-{n}", _free_port()
        port_var = "TRAINING_HTTP_PORT" if role == "api" else "TRAINING_METRICS_PORT"
        self.log = open(logs / f"{self.name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, "-m", "training", role],
                                        env={**env, port_var: str(self.port)},
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def metric(self, name: str, **labels: str) -> float:
        """Sum of ``name`` over the series carrying ``labels``, from the process's /metrics."""
        total = 0.0
        for line in httpx.get(f"{self.url}/metrics", timeout=5).text.splitlines():
            if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def training_db(kafka_cluster: Cluster, postgres_admin_url: str) -> Iterator[str]:
    url, name = create_database(postgres_admin_url)
    yield url
    drop_database(postgres_admin_url, name)


def _enrolments() -> list[Any]:
    events = []
    for _ in range(ENROLMENTS):
        participant = str(uuid.uuid4())
        payload = ParticipantEnrolled.model_validate({
            **ParticipantEnrolled.EXAMPLE, "participant_id": participant,
            "application_id": str(uuid.uuid4()), "programme_id": PROGRAMME})
        events.append(new_event(payload, subject=participant, source="berdaya/registration"))
    return events


class Registration:
    """Sends enrolments to registration.events as registration's relay would: paced while
    the replicas work, the rest once one of each has been killed."""

    def __init__(self, bootstrap: str, events: list[Any]) -> None:
        self.bootstrap, self.events = bootstrap, events
        self.sent = 0
        self.killed = threading.Event()

    async def _send(self, producer: Any, events: list[Any]) -> None:
        sends = [await producer.send(e.topic, value=e.to_bytes(), key=e.subject.encode())
                 for e in events]
        await asyncio.gather(*sends)

    async def send(self, events: list[Any]) -> None:
        await ensure_topics(self.bootstrap, ["registration.events"])
        producer = new_producer(self.bootstrap, client_id="test-registration")
        await producer.start()
        try:
            await self._send(producer, events)
        finally:
            await producer.stop()

    async def stream(self, *, first: int, until_kill: int, again: int) -> None:
        """events[first:until_kill] 20 at a time until the kill, then the rest, then the
        first ``again`` events a second time (a relay that crashed after sending)."""
        producer = new_producer(self.bootstrap, client_id="test-registration")
        await producer.start()
        try:
            self.sent = first
            while self.sent < until_kill and not self.killed.is_set():
                await self._send(producer, self.events[self.sent:self.sent + 20])
                self.sent += 20
                await asyncio.sleep(0.2)
            while not self.killed.is_set():
                await asyncio.sleep(0.1)
            await self._send(producer, self.events[self.sent:] + self.events[:again])
        finally:
            await producer.stop()


class Admin:
    """A city admin posting cohorts to whichever API answers: a connection refused or cut
    moves the request to the other replica (as a load balancer would)."""

    def __init__(self, apis: list[Role], headers: dict[str, str]) -> None:
        self.apis, self.headers = apis, headers
        self.alive = list(apis)
        self.created: list[str] = []
        self.lost_answers = 0  # requests cut mid-way: they may have committed
        self.lock = threading.Lock()

    def post(self, i: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
        for attempt in range(10):
            api = self.alive[(i + attempt) % len(self.alive)]
            try:
                response = httpx.post(f"{api.url}{path}", json=body, headers=self.headers,
                                      timeout=30)
            except httpx.TransportError:
                with self.lock:
                    self.lost_answers += 1
                continue
            assert response.status_code == 201, response.text
            return dict(response.json())
        raise AssertionError(f"no API answered {path}")

    def create_cohort(self, i: int, venue_id: str) -> None:
        cohort = self.post(i, "/cohorts", {
            "programme_id": PROGRAMME, "track_code": "tata-boga", "name": f"Tata Boga {i}",
            "venue_id": venue_id, "area_code": "31.74.06", "starts_on": "2026-12-01",
            "ends_on": "2026-12-10"})
        with self.lock:
            self.created.append(cohort["id"])

    def keep_creating(self, worker: int, venue_id: str, killed: threading.Event) -> None:
        """Cohorts one after another until the kill, then COHORTS more between the workers."""
        i, after_kill = worker, None
        while after_kill is None or len(self.created) < after_kill:
            self.create_cohort(i, venue_id)
            i += 2
            if after_kill is None and killed.is_set():
                after_kill = len(self.created) + COHORTS
            time.sleep(0.05)  # an admin's pace


def test_two_of_each_role_share_the_work_and_lose_nothing_when_one_of_each_dies(
        kafka_cluster: Cluster, training_db: str, tmp_path: Path) -> None:
    from training.config import TrainingSettings

    env = {**os.environ, "BERDAYA_ENV": "test", "KAFKA_BOOTSTRAP_SERVERS": kafka_cluster.bootstrap,
           "TRAINING_DATABASE_URL": training_db, "TRAINING_HTTP_HOST": "127.0.0.1",
           "TRAINING_RELAY_POLL_INTERVAL_S": "0.05",
           "TRAINING_LOG_LEVEL": "INFO"}  # each process's log: tmp_path/<role>-<n>.log
    subprocess.run([sys.executable, "-m", "training", "migrate"], env=env, check=True, timeout=120)
    roles = [Role(role, n, env, tmp_path) for role in ("api", "consumer", "relay") for n in (1, 2)]
    api1, api2, consumer1, consumer2, relay1, relay2 = roles
    engine = create_engine(training_db)

    def count(sql: str) -> int:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())

    try:
        for role in roles:
            wait_until(lambda r=role: _answers(f"{r.url}/" + ("readyz" if r in (api1, api2)
                                                              else "metrics")),
                       timeout=120, what=f"{role.name} up")
        registration = Registration(kafka_cluster.bootstrap, _enrolments())
        asyncio.run(registration.send(registration.events[:100]))
        wait_until(lambda: count("SELECT count(*) FROM roster_entry") > 0, timeout=60,
                   what="the programme's first enrolment on the roster")

        admin = Admin([api1, api2], auth_headers(TrainingSettings(), "city_admin", area="31"))
        admin.post(0, f"/programmes/{PROGRAMME}/tracks", TRACK)
        venue = admin.post(1, "/venues", {"name": "Kantor Kecamatan Cilandak",
                                          "address": "Jl. Rs. Fatmawati No. 1",
                                          "kelurahan_code": "31.74.06.1001", "capacity": 40})
        # Enrolments and cohorts keep coming until one of each role dies, and after.
        stream = threading.Thread(target=asyncio.run, args=(registration.stream(
            first=100, until_kill=ENROLMENTS // 2, again=REPUBLISHED),))
        stream.start()
        with ThreadPoolExecutor(2) as pool:
            workers = [pool.submit(admin.keep_creating, w, venue["id"], registration.killed)
                       for w in (0, 1)]

            def doomed_work() -> dict[str, float]:
                return {"api": api1.metric("berdaya_http_requests_total", method="POST",
                                           status="201"),
                        "consumer": consumer1.metric("berdaya_events_consumed_total",
                                                     outcome="applied"),
                        "relay": relay1.metric("berdaya_outbox_published_total")}

            # Each doomed replica has done a share (the group has split the partitions, the
            # relays have split the rows), then one of each is SIGKILLed.
            try:
                wait_until(lambda: all(v > 0 for v in doomed_work().values()), timeout=120,
                           what="a share of the work done by api-1, consumer-1 and relay-1")
                before = doomed_work()
                admin.alive = [api2]
                for role in (api1, consumer1, relay1):
                    role.kill()
                at_kill = (len(admin.created), count("SELECT count(*) FROM roster_entry"))
            finally:
                registration.killed.set()
            for worker in workers:
                worker.result()
        stream.join(timeout=120)

        wait_until(lambda: count("SELECT count(*) FROM roster_entry") >= ENROLMENTS, timeout=120,
                   what="every enrolment on the roster")
        wait_until(lambda: count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
                   and count("SELECT count(*) FROM outbox") >= len(admin.created), timeout=120,
                   what="the outbox drained")
        cohorts = count("SELECT count(*) FROM cohort")
        after = {"api": api2.metric("berdaya_http_requests_total", method="POST", status="201"),
                 "consumer": consumer2.metric("berdaya_events_consumed_total", outcome="applied"),
                 "relay": relay2.metric("berdaya_outbox_published_total")}
        dead_lettered = consumer2.metric("berdaya_events_consumed_total", outcome="dead_lettered")

        with engine.connect() as conn:
            outbox_ids = {r.event_id for r in conn.execute(text(
                "SELECT event_id FROM outbox WHERE event_type = 'training.cohort_scheduled.v1'"))}
            cohort_ids = {r.id for r in conn.execute(text("SELECT id FROM cohort"))}
        published = envelopes(asyncio.run(read_topic(
            kafka_cluster.bootstrap, "training.events", timeout=120,
            until=lambda ms: {e.id for e in envelopes(ms)} >= outbox_ids)))
    finally:
        for role in roles:
            role.stop()
            # Shown by pytest only when the test fails: what each process said last.
            tail = (tmp_path / f"{role.name}.log").read_text(errors="replace").splitlines()[-15:]
            print(f"--- {role.name} (exit {role.process.returncode})", *tail, sep="\n")
        engine.dispose()

    assert at_kill[0] < len(admin.created) and at_kill[1] < ENROLMENTS, "killed mid-stream"
    # The doomed replicas did a share before they died (the wait above); the survivors
    # carried on and finished.
    assert all(v > 0 for v in before.values()) and all(v > 0 for v in after.values()), after
    # Nothing applied twice, nothing lost: each enrolment once on the roster and in the inbox
    # (the 200 sent twice were recognised), no event dead-lettered.
    assert count_rows(training_db, "SELECT count(*) FROM roster_entry") == ENROLMENTS
    assert count_rows(training_db, "SELECT count(DISTINCT participant_id) FROM roster_entry") == ENROLMENTS
    assert count_rows(training_db, "SELECT count(*) FROM inbox") == ENROLMENTS
    assert dead_lettered == 0
    # Every cohort the admin was told about exists; a request cut by the kill may have
    # committed too (the admin then asked the other API again), never more than those.
    assert set(admin.created) <= cohort_ids
    assert len(admin.created) <= cohorts <= len(admin.created) + admin.lost_answers
    # One CohortScheduled per cohort in the outbox, every one of them on Kafka.
    assert len(outbox_ids) == cohorts
    assert {e.subject for e in published if e.id in outbox_ids} == cohort_ids


def count_rows(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()
