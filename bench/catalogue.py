"""Benchmark: the public catalogue search at 200 requests/s over 50,000 products (PostgreSQL).

    .venv/bin/python bench/catalogue.py --postgres postgresql+psycopg://berdaya@127.0.0.1:55433/postgres
    .venv/bin/python bench/catalogue.py --postgres ... --products 5000 --seconds 10  # a smoke run

Creates a fresh database (dropped afterwards), migrates it and bulk-loads ``--products``
products of 5,000 sellers spread over every kelurahan of Jakarta (90 % consenting and
active, the rest waiting, paused or withdrawn; 90 % of products available, a tenth out of
stock). Marketplace is then served by uvicorn in its own process, and a second process (an
asyncio httpx client) sends ``--rate`` requests a second for ``--seconds``, open loop (each
request leaves at its planned time whether or not earlier ones have answered, and its latency
counts from that planned time, so a slow server cannot hide its queue; keep-alive connections
written by hand on uvloop, so the client costs little beside the server). The searches vary as a
portal's would: the first page, a word of a product or shop name (common and rare), a
category, a kota, kecamatan or kelurahan, combinations, and next pages through the cursor.
Prints p50 / p90 / p99 and the achieved rate; the target is p99 < 50 ms.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "shared" / "src"), str(ROOT / "services" / "marketplace" / "src")]

from sqlalchemy import create_engine, insert, text  # noqa: E402

from berdaya_shared.gazetteer import Gazetteer  # noqa: E402
from berdaya_shared.migrations import upgrade  # noqa: E402
from marketplace.adapters.tables import Product, SellerProfile  # noqa: E402
from marketplace.bootstrap import MIGRATIONS, build  # noqa: E402
from marketplace.config import MarketplaceSettings  # noqa: E402

SELLERS = 5_000
BATCH = 10_000
PAGE = 24  # a portal's page of product cards
FOODS = ["Kue lapis", "Kue lumpur", "Kue cubit", "Klepon", "Onde-onde", "Nagasari", "Dadar gulung",
         "Serabi", "Nasi uduk", "Nasi kuning", "Lontong sayur", "Gado-gado", "Keripik singkong",
         "Rempeyek", "Bakso", "Es cendol", "Es kelapa", "Jus alpukat", "Wedang jahe",
         "Steam motor", "Cuci helm", "Tas anyaman", "Batik tulis", "Sambal bawang"]
VARIANTS = ["pandan", "cokelat", "keju", "original", "pedas", "manis", "besar", "mini", "isi 10",
            "spesial", "premium", "hemat"]
CATEGORIES = ["kue-basah", "makanan", "minuman", "jasa", "kerajinan"]
SHOPS = ["Dapur", "Warung", "Toko", "Kedai", "Rumah"]
OWNERS = ["Bu Siti", "Bu Ani", "Bu Rina", "Pak Budi", "Bu Dewi", "Mak Ijah", "Bu Yati", "Pak Joko"]


def load(url: str, *, products: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    kelurahan = [a.code for a in Gazetteer.load().areas("kelurahan")]
    now = datetime.now(UTC)
    engine = create_engine(url)
    sellers: list[str] = []
    with engine.begin() as conn:
        rows = []
        for i in range(SELLERS):
            code = rng.choice(kelurahan)
            status = rng.choices(["active", "pending_consent", "paused", "consent_withdrawn"],
                                 [90, 4, 4, 2])[0]
            seller_id = str(uuid.uuid4())
            sellers.append(seller_id)
            rows.append({"id": seller_id, "participant_id": str(uuid.uuid4()),
                         "display_name": f"Peserta {i}", "phone": None, "kelurahan_code": code,
                         "kecamatan_code": code[:8], "kota_code": code[:5],
                         "programme_code": "UP2K-BENCH", "track": None, "status": status,
                         "created_at": now, "shop_name": f"{rng.choice(SHOPS)} "
                         f"{rng.choice(OWNERS)} {i}", "show_full_name": False,
                         "contact_preference": "via_officer"})
        conn.execute(insert(SellerProfile.__table__), rows)  # type: ignore[attr-defined]
    batch: list[dict[str, Any]] = []
    for i in range(products):
        food = rng.randrange(len(FOODS))
        batch.append({"id": str(uuid.uuid4()), "seller_id": rng.choice(sellers),
                      "name": f"{FOODS[food]} {rng.choice(VARIANTS)}",
                      "description": None, "price": rng.randrange(2_000, 150_000, 500),
                      "unit": "pcs", "category": CATEGORIES[food % len(CATEGORIES)],
                      "available": rng.random() < 0.9,
                      "stock": rng.choice([None, None, 0, rng.randint(1, 200)]),
                      "photo_urls": [], "listed_by": "bench", "listed_at": now,
                      "updated_by": "bench", "updated_at": now})
        if len(batch) >= BATCH or i == products - 1:
            with engine.begin() as conn:
                conn.execute(insert(Product.__table__), batch)  # type: ignore[attr-defined]
            batch.clear()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def create() -> Any:
    """The marketplace app of one uvicorn worker (its database from the environment)."""
    from berdaya_shared.logging import configure_logging

    settings = MarketplaceSettings(database_url=os.environ["BENCH_CATALOGUE_DATABASE_URL"],
                                   environment="test", log_level="WARNING")
    configure_logging(settings.service_name, settings.log_level)  # as the CLI does
    return build(settings).create_app()


def serve(url: str, port: int, workers: int) -> None:
    """The marketplace API on 127.0.0.1:``port`` (its own process, ``workers`` processes)."""
    import uvicorn

    os.environ["BENCH_CATALOGUE_DATABASE_URL"] = url
    uvicorn.run("catalogue:create", factory=True, app_dir=str(Path(__file__).parent),
                host="127.0.0.1", port=port, workers=workers, log_level="warning",
                access_log=False)


def searches(rng: random.Random) -> list[dict[str, Any]]:
    """The query strings of one run's requests (``cursor`` filled in from earlier answers)."""
    areas = Gazetteer.load()
    kelurahan = [a.code for a in areas.areas("kelurahan")]
    kinds = [
        lambda: {},
        lambda: {"q": rng.choice(FOODS).split()[-1].lower()},
        lambda: {"q": rng.choice(VARIANTS)},
        lambda: {"q": f"{rng.choice(OWNERS)} {rng.randrange(SELLERS)}"},  # one shop: rare
        lambda: {"category": rng.choice(CATEGORIES)},
        lambda: {"kota_code": rng.choice(kelurahan)[:5]},
        lambda: {"kecamatan_code": rng.choice(kelurahan)[:8]},
        lambda: {"kelurahan_code": rng.choice(kelurahan)},
        lambda: {"kota_code": rng.choice(kelurahan)[:5], "category": rng.choice(CATEGORIES)},
        lambda: {"kecamatan_code": rng.choice(kelurahan)[:8], "q": "kue"},
        lambda: {"next": True},  # the next page of an earlier search
        lambda: {"next": True},
    ]
    return [rng.choice(kinds)() for _ in range(100_000)]


class Connections:
    """Keep-alive HTTP/1.1 connections to the server, written by hand: the load process must
    cost far less than the server it measures (an httpx client spends milliseconds a request)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port, self.idle = host, port, asyncio.LifoQueue[Any]()
        self.slots = asyncio.Semaphore(256)  # at most so many connections at once

    async def get(self, target: str) -> tuple[int, bytes]:
        async with self.slots:
            return await self._get(target)

    async def _get(self, target: str) -> tuple[int, bytes]:
        if not self.idle.empty():  # a kept-alive connection the server may have closed
            try:         # meanwhile (uvicorn: 5 s idle): retry a GET once on a fresh one,
                return await self._send(self.idle.get_nowait(), target)  # as httpx does
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
        return await self._send(await asyncio.open_connection(self.host, self.port), target)

    async def _send(self, stream: Any, target: str) -> tuple[int, bytes]:
        reader, writer = stream
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        body = await reader.readexactly(length)
        self.idle.put_nowait(stream)
        return status, body


async def generate(base_url: str, rate: float, seconds: float) -> dict[str, Any]:
    """Open-loop load: request i leaves at start + i / rate; latency counts from then."""
    from urllib.parse import urlencode, urlsplit

    address = urlsplit(base_url)
    pool = Connections(address.hostname or "127.0.0.1", address.port or 80)
    rng = random.Random(5)
    plan = searches(rng)
    cursors: list[dict[str, Any]] = []
    latencies: list[float] = []
    errors: dict[str, int] = {}
    total = int(rate * seconds)
    for _ in range(20):  # warm up a connection and the server
        await pool.get(f"/catalogue?limit={PAGE}")

    async def one(planned: float, params: dict[str, Any]) -> None:
        if params.pop("next", False):
            params = dict(rng.choice(cursors)) if cursors else {}
        try:
            status, body = await asyncio.wait_for(
                pool.get(f"/catalogue?{urlencode({**params, 'limit': PAGE})}"), timeout=10)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as failed:
            status, body = type(failed).__name__, b""  # type: ignore[assignment]
        latencies.append((time.perf_counter() - planned) * 1000)
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1
        elif len(cursors) < 500 and (cursor := json.loads(body)["next_cursor"]):
            cursors.append({**{k: v for k, v in params.items() if k != "cursor"},
                            "cursor": cursor})

    tasks = []
    start = time.perf_counter()
    for i in range(total):
        planned = start + i / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(planned, dict(plan[i % len(plan)]))))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]

    return {"requests": total, "errors": errors, "seconds": elapsed,
            "rate": len(latencies) / elapsed, "p50": pct(0.50), "p90": pct(0.90),
            "p99": pct(0.99), "max": latencies[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="an admin URL (…/postgres)")
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=28292)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # a database URL: the server process
    parser.add_argument("--load", help=argparse.SUPPRESS)  # a base URL: the load process
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.workers)
        return
    if args.load:
        import uvloop

        print(json.dumps(uvloop.run(generate(args.load, args.rate, args.seconds))))
        return
    if not args.postgres:
        parser.error("--postgres is required")

    from berdaya_shared.testing.plugin import create_database, drop_database

    url, database = create_database(args.postgres)
    server = None
    try:
        upgrade(url, MIGRATIONS)
        start = time.perf_counter()
        load(url, products=args.products)
        print(f"loaded {args.products:,} products of {SELLERS:,} sellers in "
              f"{time.perf_counter() - start:.0f} s")
        server = subprocess.Popen([sys.executable, __file__, "--serve", url,
                                   "--port", str(args.port), "--workers", str(args.workers)])
        base = f"http://127.0.0.1:{args.port}"
        _wait_ready(base)
        out = subprocess.run([sys.executable, __file__, "--load", base, "--rate", str(args.rate),
                              "--seconds", str(args.seconds)], check=True, capture_output=True,
                             text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(f"catalogue search, {result['requests']:,} requests planned at {args.rate:.0f}/s "
              f"over {args.seconds:.0f} s: achieved {result['rate']:.0f}/s, "
              f"p50 {result['p50']:.1f} ms, p90 {result['p90']:.1f} ms, "
              f"p99 {result['p99']:.1f} ms, max {result['max']:.0f} ms, "
              f"errors {result['errors'] or 'none'}, {args.workers} uvicorn workers, load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (target p99 < 50 ms)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(args.postgres, database)


def _wait_ready(base: str) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the marketplace server did not start")


if __name__ == "__main__":
    main()
