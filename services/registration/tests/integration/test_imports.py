"""Bulk import of a kelurahan's list through the jobs role: 202 and polling, per-row errors in
Bahasa (English on request), good rows enrolled, re-upload changes nothing, limits are 413s."""

import asyncio
import io
import threading
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select, text, update

from berdaya_shared.testing import service_runtime
from registration.adapters.tables import (
    Application,
    DuplicateFlag,
    Household,
    ImportBatch,
    ImportFilePart,
    Participant,
    outbox,
)
from registration.bootstrap import build
from registration.config import ImportSettings, RegistrationSettings

from .helpers import (
    CILANDAK_BARAT,
    LEBAK_BULUS,
    admin,
    all_participants,
    born,
    camat_office,
    count,
    create_programme,
    expect,
    expect_problem,
    lurah_office,
    outbox_events,
    person,
    seats,
    sqlite_only,
    up2k,
)

HEADER = ["nama", "nik", "no_kk", "tanggal_lahir", "jenis_kelamin", "no_hp", "alamat", "rt", "rw",
          "kelurahan", "dtks", "kader_pkk", "penghasilan"]
KELURAHAN_NAMES = {CILANDAK_BARAT: "Cilandak Barat", LEBAK_BULUS: "Lebak Bulus"}
CHUNK = 5  # rows per chunk in these tests: rows 2-6 are chunk 1, 12-16 chunk 3, 22-26 chunk 5


def import_runtime(database_url: str, kafka_bootstrap: str, **limits: Any):  # type: ignore[no-untyped-def]
    settings = ImportSettings(**{"chunk_rows": CHUNK, **limits})
    return service_runtime(partial(build, imports=settings), RegistrationSettings, database_url,
                           kafka_bootstrap)


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    with import_runtime(database_url, kafka_bootstrap) as runtime:
        yield runtime


def row(name: str, index: int, *, kelurahan: str = CILANDAK_BARAT, gender: str = "F",
        cadre: str = "ya", **cells: Any) -> dict[str, Any]:
    """One line of a kelurahan list as PKK secretaries fill it in (dates day-first, L/P)."""
    body = person(name, kelurahan=kelurahan, gender=gender, birth_date=born(index))
    line = {"nama": name, "nik": body["nik"], "no_kk": body["kk_number"],
            "tanggal_lahir": born(index).strftime("%d/%m/%Y"),
            "jenis_kelamin": "P" if gender == "F" else "L", "no_hp": body["phone"],
            "alamat": body["address"], "rt": "3", "rw": "RW 05",
            "kelurahan": KELURAHAN_NAMES[kelurahan], "dtks": "ya", "kader_pkk": cadre,
            "penghasilan": "1.500.000"}
    return {**line, **cells}


def cadres(count: int, first: int = 100) -> list[dict[str, Any]]:
    return [row(f"Kader {first + i}", first + i) for i in range(count)]


def good_and_bad_rows() -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Rows 2-9 of a sheet; returns them and {bad spreadsheet row: the field named}."""
    rows = [row("Siti Aminah", 1), row("Nur Hasanah", 2),
            row("Sri Rahayu", 3, nik="3174061234"),                       # row 4: NIK too short
            row("Dewi Sartika", 4),
            row("Rina Wati", 5, tanggal_lahir="31/02/1985"),              # row 6: no such date
            row("Ahmad Fauzi", 6, gender="M", cadre="tidak"),             # row 7: imported, rejected
            row("Yuni Astuti", 7, kelurahan=LEBAK_BULUS),                 # row 8: not this office's
            row("Lilis Suryani", 8, kader_pkk="mungkin")]                 # row 9: not ya/tidak
    return rows, {4: "nik", 6: "birth_date", 8: "area", 9: "pkk_cadre"}


def csv_file(rows: list[dict[str, Any]]) -> bytes:
    lines = [";".join(HEADER)] + [";".join(str(r[h]) for h in HEADER) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")  # as Excel saves "CSV UTF-8"


def xlsx_file(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for r in rows:
        cells = dict(r)
        if cells["nik"].isdigit() and len(cells["nik"]) == 16:
            cells["nik"] = int(cells["nik"])  # typed as a number, as spreadsheets do
        try:
            day, month, year = (int(p) for p in cells["tanggal_lahir"].split("/"))
            cells["tanggal_lahir"] = date(year, month, day)  # a real date cell
        except ValueError:
            pass  # an impossible date stays the text the secretary typed
        sheet.append([cells[h] for h in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_jobs(runtime) -> None:  # type: ignore[no-untyped-def]
    """One run of the jobs role's import job (what ``python -m registration jobs`` repeats)."""
    job = next(j for j in runtime.jobs if j.name == "imports")
    asyncio.run(job.run())


def post(client, who, name: str, content: bytes, **form: Any):  # type: ignore[no-untyped-def]
    return client.post("/imports", headers=who, files={"file": (name, content)},
                       data={k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()})


def upload(client, who, name: str, content: bytes, **form: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = post(client, who, name, content, **form)
    queued = expect(response, 202)
    assert response.headers["location"] == f"/imports/{queued['id']}"
    assert (queued["state"], queued["rows_done"], queued["rows_total"]) == ("queued", 0, None)
    return queued


def poll(client, who, import_id: str, **headers: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return expect(client.get(f"/imports/{import_id}", headers={**who, **headers}), 200)


def import_file(runtime, client, who, name: str, content: bytes, **form: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Upload, let the jobs role run, and read the finished import back."""
    queued = upload(client, who, name, content, **form)
    run_jobs(runtime)
    report = poll(client, who, queued["id"])
    assert report["state"] in ("done", "failed"), report
    return report


def stored(runtime) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(count(runtime, t) for t in (Participant, Household, Application, outbox))


def _import_twice(runtime, client, filename: str, content: bytes, rows, bad) -> None:  # type: ignore[no-untyped-def]
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    report = import_file(runtime, client, office, filename, content, programme_id=programme["id"],
                         verify=True)

    good = len(rows) - len(bad)
    assert report["state"] == "done" and report["error"] is None
    assert (report["rows_total"], report["rows_done"], report["rows_imported"], report["rows_skipped"],
            report["rows_failed"]) == (len(rows), len(rows), good, 0, len(bad))
    assert report["chunks_committed"] == 2 and report["last_row"] == len(rows) + 1
    assert report["outcomes"] == {"enrolled": good - 1, "rejected": 1}
    assert {(e["row"], e["field"]) for e in report["errors"]} == set(bad.items())
    assert all(e["reason"] for e in report["errors"])
    assert not [r["nik"] for r in rows if str(r["nik"]) in str(report["errors"])]
    area = next(e for e in report["errors"] if e["field"] == "area")["reason"]
    assert "di luar wilayah Anda" in area  # Bahasa by default ...
    english = poll(client, office, report["id"], **{"Accept-Language": "en"})
    assert "outside your area" in next(e for e in english["errors"] if e["field"] == "area")["reason"]

    names = sorted(p["full_name"] for p in all_participants(client, admin(client)))
    assert names == sorted(r["nama"] for i, r in enumerate(rows, start=2) if i not in bad)
    assert seats(client, programme["id"])[CILANDAK_BARAT] == (good - 1, 20)
    before = stored(runtime)
    assert before[:3] == (good, good, good)
    assert before[3] == 3 * good  # registered, submitted, enrolled / rejected
    types = [e["type"].split(".")[1] for e in outbox_events(runtime)]
    assert types.count("participant_registered") == types.count("application_submitted") == good
    assert (types.count("participant_enrolled"), types.count("application_rejected")) == (good - 1, 1)
    assert count(runtime, ImportFilePart) == 0  # the stored file is dropped once imported
    with runtime.engine.connect() as conn:
        bodies = " ".join(conn.execute(select(outbox.c.body)).scalars())
    assert not [r for r in rows if str(r["nik"]) in bodies or str(r["no_kk"]) in bodies]

    again = import_file(runtime, client, office, filename, content, programme_id=programme["id"],
                        verify=True)
    assert (again["rows_total"], again["rows_imported"], again["rows_skipped"],
            again["rows_failed"]) == (len(rows), 0, good, len(bad))
    assert again["outcomes"] == {"skipped: already applied": good}
    assert stored(runtime) == before
    assert again["sha256"] == report["sha256"] and count(runtime, ImportBatch) == 2


def test_csv_list_reports_bad_rows_enrols_good_ones_and_a_second_upload_adds_nothing(runtime, client):
    rows, bad = good_and_bad_rows()
    _import_twice(runtime, client, "kader-cilandak-barat.csv", csv_file(rows), rows, bad)


def test_xlsx_list_reports_bad_rows_enrols_good_ones_and_a_second_upload_adds_nothing(runtime, client):
    rows, bad = good_and_bad_rows()
    rows[1]["no_hp"], bad[3] = "12345", "phone"           # row 3: not a phone number
    rows[3]["rt"], bad[5] = "0", "rt"                      # row 5: there is no RT 0
    _import_twice(runtime, client, "kader-cilandak-barat.xlsx", xlsx_file(rows), rows, bad)


def test_bad_row_in_chunk_3_and_a_nul_byte_in_chunk_5_keep_chunks_1_to_4_and_say_so(runtime, client):
    """Chunk 3 holds rows PostgreSQL would refuse (too long, over INTEGER) and a NIK seen
    before in the file: each is reported. The NUL byte in chunk 5 ends the import as failed,
    with chunks 1-4 kept and the report saying so, in Bahasa (English on request)."""
    office = lurah_office(client)
    programme = create_programme(client, up2k(total_capacity=100, kelurahan_quota=30))
    rows = cadres(25)
    rows[11]["nama"] = "Siti " + "A" * 200                      # row 13: longer than its column
    rows[12]["penghasilan"] = str(2**31)                         # row 14: over INTEGER
    rows[13].update(nik=rows[1]["nik"], tanggal_lahir=rows[1]["tanggal_lahir"])  # row 15: row 3's NIK
    content = csv_file(rows).replace(b"Kader 121;", b"Kader 121\x00;")  # row 23, in chunk 5
    report = import_file(runtime, client, office, "kader.csv", content,
                         programme_id=programme["id"], verify=True)

    assert report["state"] == "failed"
    assert (report["chunks_committed"], report["rows_done"], report["last_row"]) == (4, 20, 21)
    assert report["rows_total"] is None  # the end of the file was never reached
    assert (report["rows_imported"], report["rows_failed"]) == (17, 3)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (13, "full_name"), (14, "baseline_monthly_income"), (15, "nik")]
    assert "baris 3" in report["errors"][2]["reason"]
    assert "Impor berhenti" in report["error"] and "baris 23" in report["error"]
    assert "4 bagian" in report["error"] and "sampai baris 21" in report["error"]
    english = poll(client, office, report["id"], **{"Accept-Language": "en"})
    assert "NUL byte" in english["error"] and "up to row 21" in english["error"]
    assert "row 3 of this file" in english["errors"][2]["reason"]
    assert stored(runtime)[:3] == (17, 17, 17)
    assert seats(client, programme["id"])[CILANDAK_BARAT] == (17, 30)


@sqlite_only
def test_a_file_that_stops_being_utf8_after_row_500_keeps_the_first_chunk(database_url, kafka_bootstrap):
    with import_runtime(database_url, kafka_bootstrap, chunk_rows=500) as runtime, \
            _client(runtime) as client:
        office = lurah_office(client)
        content = csv_file(cadres(700)).replace(b"Kader 750;", "Kader Rahm\xe2wati;".encode("cp1252"))
        report = import_file(runtime, client, office, "kader.csv", content)
        assert (report["state"], report["chunks_committed"], report["rows_done"]) == ("failed", 1, 500)
        assert "UTF-8" in report["error"] and count(runtime, Participant) == 500


def _client(runtime):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient
    return TestClient(runtime.create_app())


def test_a_row_the_database_refuses_is_reported_and_the_rest_of_its_chunk_imported(runtime, client):
    """A row that passes every check but which the store still refuses (here a trigger stands
    for any constraint the checks do not know) fails alone."""
    with runtime.engine.begin() as conn:
        if runtime.engine.dialect.name == "sqlite":
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON participant WHEN "
                              "NEW.full_name = 'Kader 102' BEGIN SELECT RAISE(ABORT, 'no'); END"))
        else:
            conn.execute(text("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                              "BEGIN IF NEW.full_name = 'Kader 102' THEN RAISE EXCEPTION 'no'; "
                              "END IF; RETURN NEW; END $$"))
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON participant "
                              "FOR EACH ROW EXECUTE FUNCTION refuse()"))
    report = import_file(runtime, client, lurah_office(client), "kader.csv", csv_file(cadres(5)))
    assert (report["state"], report["rows_imported"], report["rows_failed"]) == ("done", 4, 1)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(4, "row")]
    assert "basis data menolak" in report["errors"][0]["reason"]
    assert sorted(p["full_name"] for p in all_participants(client, admin(client))) == [
        "Kader 100", "Kader 101", "Kader 103", "Kader 104"]
    assert len(outbox_events(runtime, "participant_registered")) == 4


def test_upload_checks_the_form_and_the_header_before_queueing(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k(tracks=["tata-boga", "kue-basah"]))
    content = csv_file(cadres(2))
    expect_problem(post(client, office, "kader.csv", content, programme_id=programme["id"]), 422, "track")
    expect_problem(post(client, office, "kader.csv", content, programme_id=programme["id"],
                        track="t" * 61), 422, "track")
    expect_problem(post(client, office, "kader.csv", content, programme_id=programme["id"],
                        track="tata\x00boga"), 422, "track")
    expect_problem(post(client, office, "kader.csv", content, programme_id="no-such-programme"), 404)
    missing = b"nama;nik;tanggal_lahir\r\nSiti;1;2\r\n"
    refused = expect_problem(post(client, office, "daftar.csv", missing), 422, "file")
    assert "kolom tidak ada" in refused["detail"] and "kk_number" in refused["detail"]
    expect_problem(post(client, office, "daftar.pdf", b"%PDF-1.4"), 422, "file")
    expect_problem(post(client, office, "daftar.xlsx", b"PK\x03\x04 not a workbook"), 422, "file")
    assert stored(runtime) == (0, 0, 0, 0) and count(runtime, ImportBatch) == 0

    fixed = import_file(runtime, client, office, "kader.csv", content, programme_id=programme["id"],
                        track="kue-basah", verify=True)
    assert (fixed["rows_imported"], fixed["rows_failed"], fixed["outcomes"]) == (2, 0, {"enrolled": 2})
    assert stored(runtime) == (2, 2, 2, 6)


@sqlite_only
def test_uploads_over_the_size_or_row_limit_are_413_naming_file(database_url, kafka_bootstrap):
    with import_runtime(database_url, kafka_bootstrap, max_bytes=8000, max_rows=10) as runtime, \
            _client(runtime) as client:
        office = lurah_office(client)
        big = csv_file(cadres(9)) + b" " * 8000
        problem = expect_problem(post(client, office, "kader.csv", big), 413, "file")
        assert "batas 8.000 byte" in problem["detail"] and problem["title"] == "Terlalu besar"
        english = client.post("/imports", headers={**office, "Accept-Language": "en"},
                              files={"file": ("kader.csv", big)})
        assert "limit of 8,000 bytes" in expect_problem(english, 413, "file")["detail"]
        assert "11 baris data" in expect_problem(
            post(client, office, "kader.xlsx", xlsx_file(cadres(11))), 413, "file")["detail"]
        expect_problem(post(client, office, "kader.csv", csv_file(cadres(11))), 413, "file")
        assert count(runtime, ImportBatch) == 0 and count(runtime, ImportFilePart) == 0
        ok = import_file(runtime, client, office, "kader.xlsx", xlsx_file(cadres(10)))
        assert (ok["state"], ok["rows_imported"], ok["rows_expected"]) == ("done", 10, 10)


def test_cadres_past_the_quota_wait_in_file_order_and_look_alikes_are_flagged(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k(kelurahan_quota=4))
    twin = row("Hj. Kader 100", 100)  # row 10: born the same day in the same kelurahan as row 2
    report = import_file(runtime, client, office, "kader.csv", csv_file([*cadres(8), twin]),
                         programme_id=programme["id"], verify=True)
    assert report["outcomes"] == {"enrolled": 4, "waitlisted": 5}
    names = {p["id"]: p["full_name"] for p in all_participants(client, office)}
    waiting = [e["data"] for e in outbox_events(runtime, "participant_waitlisted")]
    assert [(names[w["participant_id"]], w["position"]) for w in waiting] == [
        ("Kader 104", 1), ("Kader 105", 2), ("Kader 106", 3), ("Kader 107", 4), ("Hj. Kader 100", 5)]

    def flagged() -> list[tuple[str, str]]:
        with runtime.engine.connect() as conn:
            pairs = conn.execute(select(DuplicateFlag.participant_id, DuplicateFlag.candidate_id)).all()
        return sorted((names[a], names[b]) for a, b in pairs)

    assert flagged() == [("Hj. Kader 100", "Kader 100")]
    # a later upload is checked against the people registered before
    again = import_file(runtime, client, office, "kader.csv", csv_file([row("Kader 100", 100)]))
    assert again["outcomes"] == {"registered": 1}
    names = {p["id"]: p["full_name"] for p in all_participants(client, office)}
    assert len(flagged()) == 3


@sqlite_only
def test_a_crashed_workers_import_is_resumed_after_its_last_committed_chunk(runtime, client):
    from berdaya_shared.gazetteer import Gazetteer
    from registration.service_layer.import_runs import ImportWorker

    office = lurah_office(client)
    programme = create_programme(client, up2k())
    queued = upload(client, office, "kader.csv", csv_file(cadres(18)), programme_id=programme["id"],
                    verify=True)

    def worker() -> ImportWorker:
        return ImportWorker(sessions=runtime.sessions, gazetteer=Gazetteer.load(),
                            settings=ImportSettings(chunk_rows=CHUNK), threshold=88.0, source="test")

    first = worker()
    assert first.run_once(budget_s=0.001) == CHUNK  # one chunk committed, then the worker dies
    running = poll(client, office, queued["id"])
    assert (running["state"], running["rows_done"], running["last_row"]) == ("running", 5, 6)
    assert worker().run_once() == 0  # the lease still holds: nobody else takes it
    with runtime.engine.begin() as conn:
        conn.execute(update(ImportBatch).values(claimed_until=datetime(2000, 1, 1, tzinfo=UTC)))
    assert worker().run_once() == 13  # resumed at row 7
    done = poll(client, office, queued["id"])
    assert (done["state"], done["rows_done"], done["rows_imported"]) == ("done", 18, 18)
    assert stored(runtime) == (18, 18, 18, 54)  # every row once, with its three events
    assert first.run_once() == 0


@sqlite_only
def test_past_imports_can_be_read_back_within_the_area(runtime, client):
    rows, bad = good_and_bad_rows()
    office = lurah_office(client)
    report = import_file(runtime, client, office, "kader.csv", csv_file(rows),
                         programme_id=create_programme(client, up2k())["id"])
    listed = expect(client.get("/imports", headers=office), 200)
    assert [(b["id"], b["state"], b["rows_failed"]) for b in listed] == [(report["id"], "done", 4)]
    again = poll(client, office, report["id"])
    assert again["errors"] == report["errors"] and again["area_code"] == CILANDAK_BARAT
    camat = expect(client.get("/imports", headers=camat_office(client)), 200)
    assert [b["id"] for b in camat] == [report["id"]]  # the kecamatan sees its kelurahan's
    neighbour = lurah_office(client, LEBAK_BULUS)
    assert expect(client.get("/imports", headers=neighbour), 200) == []
    expect_problem(client.get(f"/imports/{report['id']}", headers=neighbour), 404)


def hundred_thousand_rows() -> bytes:
    """A city-wide list: 100,000 valid people over Jakarta's kelurahan (CSV, ~13 MB)."""
    from berdaya_shared.gazetteer import Gazetteer
    from registration.domain.identity import make_nik

    places = [(a.code, a.name) for a in Gazetteer.load().areas("kelurahan")]
    out = io.StringIO()
    out.write("nama;nik;no_kk;tanggal_lahir;jenis_kelamin;alamat;rt;rw;kelurahan_code\n")
    for i in range(100_000):
        code, _ = places[i % len(places)]
        born = date(1960, 1, 1) + timedelta(days=(i * 7919) % 15_000)
        serial = i // 15_000 + 1
        out.write(f"Warga {i};{make_nik(code[:8], born, 'F', serial)};"
                  f"{make_nik(code[:8], date(2010, 1, 1) + timedelta(days=i % 5000), 'M', i // 5000 + 1)};"
                  f"{born:%d/%m/%Y};P;Jl. Melati No. {i % 200 + 1};{i % 20 + 1};{i % 12 + 1};{code}\n")
    return out.getvalue().encode()


def test_progress_of_a_100000_row_import_can_be_read_while_the_job_runs(postgres_url, kafka_bootstrap):
    """PostgreSQL only (once): the jobs role works in a thread of its own while the officer polls."""
    with service_runtime(build, RegistrationSettings, postgres_url, kafka_bootstrap) as runtime, \
            _client(runtime) as client:
        who = admin(client)
        queued = upload(client, who, "warga-jakarta.csv", hundred_thousand_rows())
        assert queued["rows_expected"] == 100_000
        stop = threading.Event()

        def jobs_role() -> None:
            while not stop.is_set():
                run_jobs(runtime)

        worker = threading.Thread(target=jobs_role, daemon=True)
        worker.start()
        seen: list[tuple[str, int]] = []
        try:
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                report = poll(client, who, queued["id"])
                seen.append((report["state"], report["rows_done"]))
                if report["state"] in ("done", "failed"):
                    break
                assert report["rows_total"] is None  # known once the whole file is read
                time.sleep(0.5)
        finally:
            stop.set()
            worker.join(timeout=120)
        assert report["state"] == "done", report
        assert (report["rows_total"], report["rows_imported"], report["rows_failed"]) == (100_000, 100_000, 0)
        during = [done for state, done in seen if state == "running" and 0 < done < 100_000]
        assert len(set(during)) >= 2, seen  # progress was visible, and it moved
        assert [done for _, done in seen] == sorted(done for _, done in seen)
        assert count(runtime, Participant) == 100_000 and count(runtime, outbox) == 100_000


def test_jobs_processes_racing_for_the_queue_import_every_row_once(postgres_url, kafka_bootstrap):
    """Three jobs processes released together on two queued imports (PostgreSQL: claims use
    SKIP LOCKED, chunks check the claim): every row is imported exactly once."""
    from berdaya_shared.gazetteer import Gazetteer
    from registration.service_layer.import_runs import ImportWorker

    with import_runtime(postgres_url, kafka_bootstrap) as runtime, _client(runtime) as client:
        office = lurah_office(client)
        programme = create_programme(client, up2k(kelurahan_quota=60))
        first = upload(client, office, "rw-01.csv", csv_file(cadres(30, first=100)),
                       programme_id=programme["id"], verify=True)
        second = upload(client, office, "rw-02.csv", csv_file(cadres(25, first=200)),
                        programme_id=programme["id"], verify=True)
        barrier = threading.Barrier(3)
        processed: list[int] = []

        def jobs_process() -> None:
            worker = ImportWorker(sessions=runtime.sessions, gazetteer=Gazetteer.load(),
                                  settings=ImportSettings(chunk_rows=CHUNK), threshold=88.0,
                                  source="test")
            barrier.wait()
            processed.append(worker.run_once(budget_s=60))

        threads = [threading.Thread(target=jobs_process) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert sum(processed) == 55
        for queued, rows in ((first, 30), (second, 25)):
            report = poll(client, office, queued["id"])
            assert (report["state"], report["rows_imported"], report["rows_failed"]) == ("done", rows, 0)
        assert stored(runtime) == (55, 55, 55, 165)
        assert seats(client, programme["id"])[CILANDAK_BARAT] == (55, 60)


@sqlite_only
def test_when_the_intake_closes_before_the_job_runs_new_people_are_not_left_registered(runtime, client):
    from registration.adapters.tables import Programme

    office = lurah_office(client)
    programme = create_programme(client, up2k())
    siti = row("Siti Aminah", 1)
    import_file(runtime, client, office, "satu.csv", csv_file([siti]), programme_id=programme["id"])
    queued = upload(client, office, "tiga.csv", csv_file([siti, *cadres(2)]),
                    programme_id=programme["id"])
    before = stored(runtime)
    with runtime.engine.begin() as conn:
        conn.execute(update(Programme).values(intake_closes_on=date(2020, 1, 1)))
    run_jobs(runtime)
    report = poll(client, office, queued["id"])
    assert report["outcomes"] == {"skipped: already applied": 1}
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "programme_id"), (4, "programme_id")]
    assert "Masa pendaftaran" in report["errors"][0]["reason"]
    assert stored(runtime) == before  # the two new people were not registered either


@sqlite_only
def test_a_header_only_list_with_a_very_long_name_is_done_with_no_rows(runtime, client):
    report = import_file(runtime, client, lurah_office(client), "daftar-" * 50 + ".csv",
                         (";".join(HEADER) + "\n").encode())
    assert (report["state"], report["rows_total"], report["rows_expected"]) == ("done", 0, 0)
    assert len(report["filename"]) <= 200 and report["filename"].endswith(".csv")
