"""Bulk import of a kelurahan's list: per-row errors, good rows enrolled, re-upload changes nothing."""

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from registration.adapters.tables import Application, Household, ImportBatch, Participant, outbox

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
    person,
    seats,
    sqlite_only,
    up2k,
)

HEADER = ["nama", "nik", "no_kk", "tanggal_lahir", "jenis_kelamin", "no_hp", "alamat", "rt", "rw",
          "kelurahan", "dtks", "kader_pkk"]
KELURAHAN_NAMES = {CILANDAK_BARAT: "Cilandak Barat", LEBAK_BULUS: "Lebak Bulus"}


def row(name: str, index: int, *, kelurahan: str = CILANDAK_BARAT, gender: str = "F",
        cadre: str = "ya", **cells: Any) -> dict[str, Any]:
    """One line of a kelurahan list as PKK secretaries fill it in (dates day-first, L/P)."""
    body = person(name, kelurahan=kelurahan, gender=gender, birth_date=born(index))
    line = {"nama": name, "nik": body["nik"], "no_kk": body["kk_number"],
            "tanggal_lahir": born(index).strftime("%d/%m/%Y"),
            "jenis_kelamin": "P" if gender == "F" else "L", "no_hp": body["phone"],
            "alamat": body["address"], "rt": "3", "rw": "RW 05",
            "kelurahan": KELURAHAN_NAMES[kelurahan], "dtks": "ya", "kader_pkk": cadre}
    return {**line, **cells}


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


def upload(client, who, name: str, content: bytes, programme_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return expect(client.post("/imports", headers=who, files={"file": (name, content)},
                              data={"programme_id": programme_id, "verify": "true"}), 201)


def stored(runtime) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(count(runtime, t) for t in (Participant, Household, Application, outbox))


def _import_twice(runtime, client, filename: str, content: bytes, rows, bad) -> None:  # type: ignore[no-untyped-def]
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    report = upload(client, office, filename, content, programme["id"])

    good = len(rows) - len(bad)
    assert (report["rows_total"], report["rows_imported"], report["rows_skipped"],
            report["rows_failed"]) == (len(rows), good, 0, len(bad))
    assert report["outcomes"] == {"enrolled": good - 1, "rejected": 1}
    assert {(e["row"], e["field"]) for e in report["errors"]} == set(bad.items())
    assert all(e["reason"] for e in report["errors"])
    assert not [r["nik"] for r in rows if str(r["nik"]) in str(report["errors"])]

    names = sorted(p["full_name"] for p in all_participants(client, admin(client)))
    assert names == sorted(r["nama"] for i, r in enumerate(rows, start=2) if i not in bad)
    assert seats(client, programme["id"])[CILANDAK_BARAT] == (good - 1, 20)
    before = stored(runtime)
    assert before[:3] == (good, good, good)
    assert before[3] == 3 * good  # registered, submitted, enrolled / rejected

    again = upload(client, office, filename, content, programme["id"])
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


@sqlite_only
def test_a_file_that_is_not_a_list_is_refused_whole(runtime, client):
    office = lurah_office(client)
    programme = create_programme(client, up2k())
    missing = b"nama;nik;tanggal_lahir\r\nSiti;1;2\r\n"
    refused = client.post("/imports", headers=office, files={"file": ("daftar.csv", missing)},
                          data={"programme_id": programme["id"]})
    assert "kk_number" in expect_problem(refused, 422, "file")["detail"]
    wrong_type = client.post("/imports", headers=office, files={"file": ("daftar.pdf", b"%PDF-1.4")},
                             data={"programme_id": programme["id"]})
    expect_problem(wrong_type, 422, "file")
    assert stored(runtime) == (0, 0, 0, 0)


def test_a_row_that_fails_halfway_leaves_no_person_behind(runtime, client):
    """The person is written before the application fails (no track chosen): the row is undone."""
    office = lurah_office(client)
    programme = create_programme(client, up2k(tracks=["tata-boga", "kue-basah"]))
    rows = [row("Siti Aminah", 1), row("Nur Hasanah", 2)]
    report = upload(client, office, "kader.csv", csv_file(rows), programme["id"])
    assert (report["rows_imported"], report["rows_failed"]) == (0, 2)
    assert {(e["row"], e["field"]) for e in report["errors"]} == {(2, "track"), (3, "track")}
    assert stored(runtime) == (0, 0, 0, 0)

    fixed = expect(client.post("/imports", headers=office, files={"file": ("kader.csv", csv_file(rows))},
                               data={"programme_id": programme["id"], "track": "kue-basah",
                                     "verify": "true"}), 201)
    assert (fixed["rows_imported"], fixed["rows_failed"], fixed["outcomes"]) == (2, 0, {"enrolled": 2})
    assert stored(runtime) == (2, 2, 2, 6)


@sqlite_only
def test_past_import_reports_can_be_read_back_within_the_area(runtime, client):
    rows, bad = good_and_bad_rows()
    office = lurah_office(client)
    report = upload(client, office, "kader.csv", csv_file(rows), create_programme(client, up2k())["id"])
    listed = expect(client.get("/imports", headers=office), 200)
    assert [b["id"] for b in listed] == [report["id"]]
    again = expect(client.get(f"/imports/{report['id']}", headers=office), 200)
    assert again["errors"] == report["errors"] and again["area_code"] == CILANDAK_BARAT
    camat = expect(client.get("/imports", headers=camat_office(client)), 200)
    assert [b["id"] for b in camat] == [report["id"]]  # the kecamatan sees its kelurahan's
    neighbour = lurah_office(client, LEBAK_BULUS)
    assert expect(client.get("/imports", headers=neighbour), 200) == []
    expect_problem(client.get(f"/imports/{report['id']}", headers=neighbour), 404)
