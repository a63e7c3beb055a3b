"""End-to-end latency: an enrolment verified in registration (the HTTP answer, i.e. committed)
until it is on training's roster (committed in training's store), at half the maximum load.

    make bench-e2e                                     # a private PostgreSQL is started
    .venv/bin/python bench/e2e_latency.py --postgres postgresql+psycopg://berdaya@127.0.0.1:55433/postgres
    .venv/bin/python bench/e2e_latency.py --postgres ... --max-requests 200 --seconds 10   # smoke

Starts registration and training as real processes (``python -m <service> all``: api, relay,
consumer) on fresh PostgreSQL databases and the broker in KAFKA_BOOTSTRAP_SERVERS, creates a
programme and ``max-requests + rate * seconds`` applications through the API (not timed), then:

1. Maximum sustained load: ``--max-requests`` verifications fired by ``--concurrency`` clients
   as fast as they go; the load is what reached the roster per second (first request sent to
   last roster entry seen), so neither the API nor the pipeline behind it falls behind.
2. At half that rate, open loop (requests start on a fixed schedule, whatever the answers do),
   for ``--seconds``: each verification's latency is from its HTTP answer to the moment its
   roster row is first seen in training's store (a poller queries it every millisecond, only
   for the rows still awaited). Prints p50/p90/p99/max with the load they were measured at.

The path measured: registration's commit (with its outbox row and NOTIFY), the relay woken by
the notification, Kafka (acks=all, linger 5 ms), training's consumer (its batch transaction,
then offsets). A benchmark, not a test: it asserts nothing and is run on demand.

Measured (2 shared cores): load average ~1: maximum 119.3 verifications/s; at 59.7/s for 30 s
(1,789 enrolments) p50 10.6 ms, p90 12.7 ms, p99 16.6 ms, max 26 ms. Beside a whole
`make test` (load average ~3.6): p50 9.5 ms, p90 11.4 ms, p99 14.8 ms at 55.5/s (half of 111/s).
Earlier in issue 11, at load average ~18: p99 86.6 ms. Before issue 11: p50 170 ms, p90 185 ms
(the relay's 200 ms poll). Target p99 < 50 ms: met (deploy/README.md, "Measured").
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg

from berdaya_shared.api.auth import issue_token
from berdaya_shared.settings import DEV_JWT_SECRET
from berdaya_shared.testing.stack import services_running
from registration.domain.identity import make_nik

KELURAHAN, KECAMATAN = "31.74.06.1003", "31.74.06"


def auth(role: str, area: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, subject=f"bench-{role}", roles=[role], area=area)
    return {"Authorization": f"Bearer {token}"}


ADMIN, LURAH = auth("city_admin", "31"), auth("kelurahan_officer", KELURAHAN)


class RosterWatch:
    """Polls training's store for awaited roster rows; notes when each is first seen."""

    def __init__(self, url: str, programme_id: str) -> None:
        self.conninfo = url.replace("postgresql+psycopg://", "postgresql://")
        self.programme_id = programme_id
        self.awaited: set[str] = set()
        self.seen: dict[str, float] = {}
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "RosterWatch":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def expect(self, participant_id: str) -> None:
        with self._lock:
            self.awaited.add(participant_id)

    def _run(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.is_set():
                with self._lock:
                    awaited = list(self.awaited)
                if awaited:
                    rows = conn.execute(
                        "SELECT participant_id FROM roster_entry WHERE programme_id = %s"
                        " AND participant_id = ANY(%s)", (self.programme_id, awaited)).fetchall()
                    now = time.perf_counter()
                    with self._lock:
                        for (participant_id,) in rows:
                            self.seen.setdefault(participant_id, now)
                            self.awaited.discard(participant_id)
                time.sleep(0.001)

    async def all_seen(self, ids: list[str], timeout: float = 120) -> None:
        deadline = time.perf_counter() + timeout
        while any(i not in self.seen for i in ids):
            if time.perf_counter() > deadline:
                missing = sum(1 for i in ids if i not in self.seen)
                raise RuntimeError(f"{missing} enrolments never reached the roster")
            await asyncio.sleep(0.01)


async def prepare(http: httpx.AsyncClient, reg: str, count: int) -> tuple[str, list[tuple[str, str]]]:
    """A programme and ``count`` applications awaiting verification: (application, participant)."""
    today = date.today()
    response = await http.post(f"{reg}/programmes", headers=ADMIN, json={
        "code": f"BENCH-{int(time.time())}", "name": "Bench latensi", "kind": "UP2K",
        "target_area_code": KECAMATAN, "total_capacity": 1_000_000, "kelurahan_quota": 1_000_000,
        "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=30)),
        "eligibility_rules": [{"kind": "resides_in", "area_codes": [KECAMATAN]}]})
    response.raise_for_status()
    programme = response.json()["id"]
    gate = asyncio.Semaphore(16)

    async def apply(i: int) -> tuple[str, str]:
        born = date(1970, 1, 1) + timedelta(days=i // 9000)
        nik = make_nik("317406", born, "F", 1 + i % 9000)
        kk = make_nik("317406", born, "M", 1 + i % 9000)
        async with gate:
            person = await http.post(f"{reg}/participants", headers=LURAH, json={
                "full_name": f"Peserta Bench {_letters(i)}", "nik": nik, "kk_number": kk,
                "birth_date": str(born), "gender": "F", "phone": f"0813{i:08d}",
                "address": "Jl. Pinang No. 3", "rt": "4", "rw": "2", "kelurahan_code": KELURAHAN,
                "pkk_cadre": True})
            person.raise_for_status()
            participant = person.json()["participant"]["id"]
            application = await http.post(f"{reg}/applications", headers=LURAH, json={
                "participant_id": participant, "programme_id": programme})
            application.raise_for_status()
            return application.json()["id"], participant

    return programme, list(await asyncio.gather(*(apply(i) for i in range(count))))


def _letters(i: int) -> str:
    word = ""
    while True:
        i, r = divmod(i, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[r]
        if not i:
            return word.capitalize()


async def verify(http: httpx.AsyncClient, reg: str, application: str) -> float:
    response = await http.post(f"{reg}/applications/{application}/verify", headers=LURAH)
    answered = time.perf_counter()
    response.raise_for_status()
    return answered


async def max_load(http: httpx.AsyncClient, reg: str, watch: RosterWatch,
                   work: list[tuple[str, str]], concurrency: int) -> float:
    queue = list(work)
    started = time.perf_counter()

    async def client() -> None:
        while queue:
            application, participant = queue.pop()
            watch.expect(participant)
            await verify(http, reg, application)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    answered = time.perf_counter()
    await watch.all_seen([p for _, p in work])
    finished = max(watch.seen[p] for _, p in work)
    api_rate, roster_rate = len(work) / (answered - started), len(work) / (finished - started)
    print(f"maximum load: {len(work)} verifications, {concurrency} clients: API answered "
          f"{api_rate:.0f}/s, roster reached {roster_rate:.0f}/s")
    return len(work) / (finished - started)


async def at_rate(http: httpx.AsyncClient, reg: str, watch: RosterWatch,
                  work: list[tuple[str, str]], rate: float) -> list[float]:
    start = time.perf_counter()
    answers: dict[str, float] = {}

    async def one(i: int, application: str, participant: str) -> None:
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        watch.expect(participant)
        answers[participant] = await verify(http, reg, application)

    await asyncio.gather(*(one(i, a, p) for i, (a, p) in enumerate(work)))
    elapsed = time.perf_counter() - start
    await watch.all_seen(list(answers))
    print(f"ran at {len(work) / elapsed:.1f} verifications/s for {elapsed:.1f}s (asked {rate:.1f}/s)")
    return [(watch.seen[p] - answered) * 1000 for p, answered in answers.items()]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def bench(urls: dict[str, str], ports: dict[str, int], args: argparse.Namespace) -> None:
    reg = f"http://127.0.0.1:{ports['registration']}"
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        # Enough for the maximum-load run and a run at up to half of a generous maximum.
        spare = int(args.seconds * args.rate_cap / 2)
        programme, work = await prepare(http, reg, args.max_requests + spare)
        with RosterWatch(urls["training"], programme) as watch:
            # Warm-up: connections, caches, the consumer's group join.
            await max_load(http, reg, watch, work[:20], 4)
            maximum = await max_load(http, reg, watch, work[20:args.max_requests], args.concurrency)
            rate = min(maximum / 2, args.rate_cap / 2)
            count = min(len(work) - args.max_requests, int(rate * args.seconds))
            latencies = await at_rate(http, reg, watch, work[args.max_requests:args.max_requests + count],
                                      rate)
    print(f"latency, HTTP answer of the verification -> row on training's roster, at "
          f"{rate:.1f}/s (half of {maximum:.1f}/s), {len(latencies)} enrolments:")
    print(f"  p50 {percentile(latencies, 50):6.1f} ms   p90 {percentile(latencies, 90):6.1f} ms   "
          f"p99 {percentile(latencies, 99):6.1f} ms   max {max(latencies):6.1f} ms   "
          f"mean {statistics.fmean(latencies):6.1f} ms  (target p99 < 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="an admin URL (…/postgres)")
    parser.add_argument("--max-requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate-cap", type=float, default=120,
                        help="the highest maximum load planned for (applications prepared)")
    parser.add_argument("--ports", default="28511,28512", help="registration,training HTTP ports")
    args = parser.parse_args()
    registration, training = (int(p) for p in args.ports.split(","))
    ports = {"registration": registration, "training": training}
    logs = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    with services_running(ports=ports, kafka_bootstrap=os.environ["KAFKA_BOOTSTRAP_SERVERS"],
                          postgres_admin_url=args.postgres, logs=logs,
                          env={f"{name.upper()}_LOG_LEVEL": "WARNING" for name in ports}) as stack:
        asyncio.run(bench(stack.databases, ports, args))


if __name__ == "__main__":
    main()
