"""A kelurahan officer enrols their 20 cadres from a spreadsheet; the 21st is waitlisted; a
withdrawal enrols the next in line; training's roster receives exactly those enrolments."""

import io
from datetime import date, timedelta

import httpx
from openpyxl import Workbook

from berdaya_shared.testing import wait_until
from registration.domain.identity import make_nik

from .test_chain import auth, ok

KELURAHAN = "31.74.06.1005"  # Cipete Selatan, Kecamatan Cilandak
HEADER = ["Nama", "NIK", "No KK", "Tanggal Lahir", "Jenis Kelamin", "No HP", "Alamat", "RT", "RW",
          "Kelurahan", "Kader PKK"]


def spreadsheet(count: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(count):
        born = date(1975 + i % 20, 1 + i % 12, 1 + i % 28)
        sheet.append([f"Kader Cipete {i + 1:02d}", make_nik("317406", born, "F", 7000 + i),
                      make_nik("317406", born, "M", 8000 + i), born.strftime("%d/%m/%Y"), "P",
                      f"08571234{i:04d}", f"Jl. Cipete Raya No. {i + 1}", "3", "5",
                      "Cipete Selatan", "ya"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_spreadsheet_of_21_cadres_enrols_20_and_training_gets_exactly_those(stack):
    reg, tr = stack.urls["registration"], stack.urls["training"]
    http, today = httpx.Client(timeout=60), date.today()
    lurah, trainer = auth("kelurahan_officer", KELURAHAN), auth("trainer", "31.74.06")
    programme = ok(http.post(f"{reg}/programmes", headers=auth("city_admin", "31"), json={
        "code": f"UP2K-XLSX-{today:%Y%m%d}", "name": "UP2K Cilandak (spreadsheet)", "kind": "UP2K",
        "target_area_code": "31.74.06", "total_capacity": 100, "kelurahan_quota": 20,
        "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=30)),
        "eligibility_rules": [{"kind": "pkk_cadre"}, {"kind": "gender", "value": "F"},
                              {"kind": "resides_in", "area_codes": ["31.74.06"]}]}), 201)
    queued = ok(http.post(f"{reg}/imports", headers=lurah,
                          data={"programme_id": programme["id"], "verify": "true"},
                          files={"file": ("kader-cipete-selatan.xlsx", spreadsheet(21))}), 202)

    def imported() -> dict | None:  # registration's jobs role imports the list in the background
        report = ok(http.get(f"{reg}/imports/{queued['id']}", headers=lurah))
        assert report["state"] != "failed", report["error"]
        return report if report["state"] == "done" else None
    report = wait_until(imported, timeout=60, what="the jobs role to import the spreadsheet")
    assert (report["rows_total"], report["rows_failed"]) == (21, 0), report["errors"]
    assert report["outcomes"] == {"enrolled": 20, "waitlisted": 1}

    def applications(status: str) -> list[dict]:
        return ok(http.get(f"{reg}/applications", headers=lurah, params={
            "programme_id": programme["id"], "status": status, "limit": 100}))["items"]

    enrolled, waiting = applications("enrolled"), applications("waitlisted")
    assert len(enrolled) == 20 and len(waiting) == 1
    leaving = enrolled[0]
    ok(http.post(f"{reg}/applications/{leaving['id']}/withdraw", headers=lurah,
                 json={"reason": "pindah ke Depok"}))
    now_enrolled = {a["participant_id"] for a in applications("enrolled")}
    assert waiting[0]["participant_id"] in now_enrolled and len(now_enrolled) == 20
    assert applications("waitlisted") == []

    def roster_matches() -> bool:
        items = ok(http.get(f"{tr}/roster", headers=trainer,
                            params={"programme_id": programme["id"], "limit": 100}))["items"]
        on_roster = {i["participant_id"] for i in items if i["status"] == "enrolled"}
        withdrawn = {i["participant_id"] for i in items if i["status"] == "withdrawn"}
        return on_roster == now_enrolled and withdrawn == {leaving["participant_id"]}
    wait_until(roster_matches, timeout=60,
               what="training's roster to hold exactly the 20 enrolled cadres")
