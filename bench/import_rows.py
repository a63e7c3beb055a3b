"""Benchmark: a kelurahan list imported by registration's jobs role (not a test; run on demand).

    .venv/bin/python bench/import_rows.py                        # 100,000 rows, SQLite file
    .venv/bin/python bench/import_rows.py --postgres postgresql+psycopg://berdaya@127.0.0.1:55433/postgres
    BENCH_POSTGRES_URL=... .venv/bin/python bench/import_rows.py # SQLite, then PostgreSQL
    .venv/bin/python bench/import_rows.py --rows 20000 --no-enrol

Writes a CSV of synthetic, valid people (NIKs from make_nik) spread over Jakarta's kelurahan,
then, for each store (a fresh SQLite file; with ``--postgres ADMIN_URL`` also a fresh
PostgreSQL database, dropped afterwards), in a child process of its own: migrates, uploads the
file as ``POST /imports`` does (create_import), and times the import job (``run_once``, what
the jobs role runs) until the import is done. By default every row is also applied to a
city-wide programme and verified (eligibility, a seat, events), so each row costs three events
on top of validation and duplicate flagging. Prints rows/s and the peak RSS of the child
(memory stays flat: the file is streamed and processed chunk by chunk).
"""

import argparse
import csv
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "shared" / "src"), str(ROOT / "services" / "registration" / "src")]

from sqlalchemy import func, select  # noqa: E402

from berdaya_shared.api.auth import Principal  # noqa: E402
from berdaya_shared.clock import today_in_jakarta  # noqa: E402
from berdaya_shared.db import transaction  # noqa: E402
from berdaya_shared.gazetteer import Gazetteer  # noqa: E402
from berdaya_shared.migrations import upgrade  # noqa: E402
from berdaya_shared.testing.plugin import scratch_database  # noqa: E402
from registration.adapters.tables import ImportBatch, outbox  # noqa: E402
from registration.bootstrap import build  # noqa: E402
from registration.config import ImportSettings, RegistrationSettings  # noqa: E402
from registration.domain.identity import make_nik  # noqa: E402
from registration.service_layer import imports, programmes  # noqa: E402
from registration.service_layer.import_runs import ImportWorker  # noqa: E402

HEADER = ["nama", "nik", "no_kk", "tanggal_lahir", "jenis_kelamin", "no_hp", "alamat", "rt", "rw",
          "kelurahan", "kecamatan", "dtks", "kader_pkk"]
WOMEN = "Siti Nur Dewi Sri Rina Yuni Lilis Aisyah Fitri Wati Ani Rahayu Maryam Eka Dian".split()
MEN = "Ahmad Budi Slamet Agus Joko Bambang Dedi Hendra Rudi Yusuf Wahyu Eko Andi Hadi".split()
FAMILY = "Aminah Hasanah Lestari Wahyuni Marlina Astuti Suryani Sartika Handayani Saputra " \
         "Santoso Hidayat Nugroho Setiawan Kurniawan Pratama Susanto Purnomo Rahman Siregar".split()
BIRTH_DAYS = 15_000  # birth dates 1960-2001; with serials 1..9999 this gives 150M unique NIKs


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    places = [(a.code, a.name, gazetteer.kecamatan_of(a.code).name)
              for a in gazetteer.areas("kelurahan")]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(HEADER)
        for i in range(rows):
            code, kelurahan, kecamatan = places[i % len(places)]
            gender = "F" if i % 3 else "M"
            birth = date(1960, 1, 1) + timedelta(days=(i * 7919) % BIRTH_DAYS)
            serial = i // BIRTH_DAYS + 1
            region = code[:8]
            first = rng.choice(WOMEN if gender == "F" else MEN)
            out.writerow([f"{first} {rng.choice(FAMILY)}", make_nik(region, birth, gender, serial),
                          make_nik(region, date(2010, 1, 1) + timedelta(days=i % 5000), "M",
                                   i // 5000 + 1),
                          birth.strftime("%d/%m/%Y"), "P" if gender == "F" else "L",
                          f"0812{i:08d}", f"Jl. Melati Gg. {i % 97 + 1} No. {i % 200 + 1}",
                          str(i % 20 + 1), str(i % 12 + 1), kelurahan, kecamatan,
                          "ya" if i % 2 else "tidak", "ya" if gender == "F" and i % 4 else "tidak"])


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_store(url: str, source: Path, rows: int, enrol: bool, chunk_rows: int) -> None:
    """One store, in its own process (so the peak RSS is this import's)."""
    settings = RegistrationSettings(database_url=url, environment="test")
    limits = ImportSettings(chunk_rows=chunk_rows, max_rows=max(rows, 1), max_bytes=2**31 - 1)
    runtime = build(settings, imports=limits)
    upgrade(url, runtime.migrations)
    admin = Principal(subject="bench", roles=frozenset({"city_admin"}), area="31")
    today = today_in_jakarta()
    programme_id = None
    if enrol:
        with transaction(runtime.sessions) as session:
            programme_id = programmes.create_programme(
                session=session, principal=admin, gazetteer=Gazetteer.load(),
                code=f"BENCH-{uuid.uuid4().hex[:8].upper()}", name="Benchmark", kind="UEP",
                # "31" (the province) is refused as a target area, so a kota; there is no
                # resides_in rule, so people from all over Jakarta may join.
                target_area_code="31.74", intake_opens_on=today, intake_closes_on=today,
                total_capacity=rows, kelurahan_quota=None, quotas={}, tracks=[],
                eligibility_rules=[{"kind": "age_between", "min": 18, "max": 64}]).id

    rss_before = peak_rss_mib()
    started = time.perf_counter()
    with source.open("rb") as stream, transaction(runtime.sessions) as session:
        batch_id = imports.create_import(session=session, principal=admin, limits=limits, today=today,
                                         upload=imports.Upload(stream=stream, filename=source.name,
                                                               programme_id=programme_id, track=None,
                                                               verify=enrol)).id
    uploaded = time.perf_counter() - started

    worker = ImportWorker(sessions=runtime.sessions, gazetteer=Gazetteer.load(), settings=limits,
                          threshold=settings.duplicate_threshold, source="bench")
    started = time.perf_counter()
    while worker.run_once():  # the jobs role's loop, without its pause between runs
        pass
    elapsed = time.perf_counter() - started
    with transaction(runtime.sessions) as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None
        events = session.execute(select(func.count()).select_from(outbox)).scalar_one()
    runtime.engine.dispose()

    print(f"store      {url.split(':', 1)[0]}{' + apply/verify' if enrol else ''}, chunk {chunk_rows}")
    print(f"upload     {uploaded:.2f}s (stored in the database, header and limits checked)")
    print(f"imported   {batch.state}: {batch.rows_imported:,} / {batch.rows_total:,} rows "
          f"(skipped {batch.rows_skipped:,}, failed {batch.rows_failed:,}), {events:,} events, "
          f"outcomes {batch.outcomes}")
    print(f"job        {elapsed:.2f}s  ->  {batch.rows_total / elapsed:,.0f} rows/s")
    print(f"peak RSS   {peak_rss_mib():.0f} MiB (before the import {rss_before:.0f} MiB)", flush=True)
    if batch.rows_failed or batch.state != "done":
        sys.exit(1)


def in_child(*args: object) -> int:
    process = multiprocessing.get_context("spawn").Process(target=run_store, args=args)
    process.start()
    process.join()
    return process.exitcode or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"),
                        help="admin URL of a PostgreSQL server: also run there, in a fresh "
                             "database (default: $BENCH_POSTGRES_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--no-enrol", dest="enrol", action="store_false",
                        help="register only: no programme, no apply/verify")
    parser.add_argument("--chunk-rows", type=int, default=ImportSettings().chunk_rows)
    args = parser.parse_args()
    if not 1 <= args.rows <= BIRTH_DAYS * 9999:
        parser.error("--rows out of range")

    failed = 0
    with tempfile.TemporaryDirectory(prefix="berdaya-bench-") as tmp:
        source = Path(tmp) / "daftar.csv"
        started = time.perf_counter()
        write_csv(source, args.rows)
        print(f"csv        {args.rows:,} rows, {source.stat().st_size / 2**20:.1f} MiB "
              f"written in {time.perf_counter() - started:.1f}s", flush=True)
        if not args.no_sqlite:
            failed |= in_child(f"sqlite:///{Path(tmp) / 'registration.db'}", source, args.rows,
                               args.enrol, args.chunk_rows)
        if args.postgres:
            with scratch_database(args.postgres) as url:
                failed |= in_child(url, source, args.rows, args.enrol, args.chunk_rows)
    sys.exit(failed)


if __name__ == "__main__":
    main()
