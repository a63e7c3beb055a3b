"""Benchmark: bulk import of a kelurahan list into registration (not a test; run on demand).

    .venv/bin/python bench/import_rows.py                     # 100,000 rows, SQLite file
    .venv/bin/python bench/import_rows.py --rows 2000
    .venv/bin/python bench/import_rows.py --database-url postgresql+psycopg://berdaya@127.0.0.1:55439/bench
    .venv/bin/python bench/import_rows.py --rows 20000 --enrol   # also apply + verify into a programme

Writes a CSV of synthetic, valid people (NIKs from make_nik) spread over Jakarta's kelurahan,
builds a registration runtime on a fresh SQLite file (or the given database, which should be
empty), migrates it, times ``run_import`` and prints rows/s and the peak RSS of the process.
"""

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "shared" / "src"), str(ROOT / "services" / "registration" / "src")]

from berdaya_shared.api.auth import Principal  # noqa: E402
from berdaya_shared.clock import today_in_jakarta  # noqa: E402
from berdaya_shared.db import transaction  # noqa: E402
from berdaya_shared.migrations import upgrade  # noqa: E402
from registration.bootstrap import build  # noqa: E402
from registration.config import RegistrationSettings  # noqa: E402
from registration.domain.gazetteer import Gazetteer  # noqa: E402
from registration.domain.identity import make_nik  # noqa: E402
from registration.service_layer import imports, programmes  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--enrol", action="store_true",
                        help="apply every row to a city-wide programme and verify it")
    parser.add_argument("--chunk-rows", type=int, default=500)
    args = parser.parse_args()
    if not 1 <= args.rows <= BIRTH_DAYS * 9999:
        parser.error("--rows out of range")

    with tempfile.TemporaryDirectory(prefix="berdaya-bench-") as tmp:
        source = Path(tmp) / "daftar.csv"
        started = time.perf_counter()
        write_csv(source, args.rows)
        print(f"csv        {args.rows:,} rows, {source.stat().st_size / 2**20:.1f} MiB "
              f"written in {time.perf_counter() - started:.1f}s")

        url = args.database_url or f"sqlite:///{Path(tmp) / 'registration.db'}"
        runtime = build(RegistrationSettings(database_url=url, environment="test"))
        upgrade(url, runtime.migrations)
        admin = Principal(subject="bench", roles=frozenset({"city_admin"}), area="31")
        programme_id = None
        if args.enrol:
            today = today_in_jakarta()
            with transaction(runtime.sessions) as session:
                programme_id = programmes.create_programme(
                    session=session, principal=admin, gazetteer=Gazetteer.load(),
                    code=f"BENCH-{int(time.time())}", name="Benchmark", kind="UEP",
                    # "31" (the province) is refused as a target area, so a kota; there is
                    # no resides_in rule, so people from all over Jakarta may join.
                    target_area_code="31.74", intake_opens_on=today, intake_closes_on=today,
                    total_capacity=args.rows, kelurahan_quota=None, quotas={}, tracks=[],
                    eligibility_rules=[{"kind": "age_between", "min": 18, "max": 64}]).id

        rss_before = peak_rss_mib()
        started = time.perf_counter()
        with source.open("rb") as stream:
            batch, outcomes = imports.run_import(
                sessions=runtime.sessions, principal=admin, gazetteer=Gazetteer.load(),
                stream=stream, filename=source.name, programme_id=programme_id, track=None,
                verify=args.enrol, today=today_in_jakarta(),
                threshold=runtime.settings.duplicate_threshold, chunk_rows=args.chunk_rows,
                source="bench")
        elapsed = time.perf_counter() - started
        runtime.engine.dispose()

    store = url.split(":", 1)[0]
    print(f"store      {store}{' + apply/verify' if args.enrol else ''}, chunk {args.chunk_rows}")
    print(f"imported   {batch.rows_imported:,} / {batch.rows_total:,} rows "
          f"(skipped {batch.rows_skipped:,}, failed {batch.rows_failed:,}) "
          f"outcomes {outcomes}")
    print(f"time       {elapsed:.2f}s  ->  {batch.rows_total / elapsed:,.0f} rows/s")
    print(f"peak RSS   {peak_rss_mib():.0f} MiB (before import {rss_before:.0f} MiB)")
    if batch.rows_failed:
        print("first errors:", batch.errors[:5])
        sys.exit(1)


if __name__ == "__main__":
    main()
