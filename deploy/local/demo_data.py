"""Demo data for `make run`, loaded only through the public HTTP APIs so the events flow.

Two programmes from the source articles (../shared/seeds):
* UEP bagi Keluarga Miskin, Jakarta Timur 2019: 485 poor residents of Jakarta Timur's ten
  kecamatan in four tracks (tata boga, kue basah, steam motor, minuman/jus); the eligibility
  rules need a DTKS-listed household, so a few non-DTKS applicants are rejected.
* UP2K Kecamatan Cilandak: 20 PKK cadres from each of its five kelurahan; each lurah's office
  uploads a list of 21, so the 21st is waitlisted, and one withdrawal enrols the next in line.
People are synthetic (valid-format NIKs). Intake windows are set around today so the demo can
enrol; the programme names keep the articles' year. Then training runs cohorts and graduates,
monitoring plans follow-up visits, and marketplace lists graduates' products.
Re-running does nothing once the programmes exist.
"""

import csv
import io
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import httpx

from berdaya_shared.api.auth import issue_token
from berdaya_shared.settings import DEV_JWT_SECRET
from registration.domain.gazetteer import Gazetteer
from registration.domain.identity import make_nik

REG, TRAIN, MON, MKT = (os.environ.get(f"{n}_URL", f"http://127.0.0.1:{p}") for n, p in
                        (("REGISTRATION", 8001), ("TRAINING", 8002), ("MONITORING", 8003),
                         ("MARKETPLACE", 8004)))
SECRET = os.environ.get("BERDAYA_JWT_SECRET", DEV_JWT_SECRET)
WAIT_S = float(os.environ.get("DEMO_WAIT_S", 180))  # bound on every wait for events to arrive
FIRST = ["Siti", "Nur", "Sri", "Dewi", "Rina", "Yuli", "Ani", "Wati", "Lestari", "Ratna", "Fitri",
         "Endang", "Budi", "Agus", "Joko", "Rudi", "Hendra", "Slamet", "Asep", "Dedi"]
LAST = ["Aminah", "Rahmawati", "Suryani", "Handayani", "Wulandari", "Kusuma", "Hidayat",
        "Saputra", "Santoso", "Setiawan", "Lubis", "Nasution", "Siregar", "Pratama", "Sari"]
UEP_TRACKS = ["tata-boga", "kue-basah", "steam-motor", "minuman-jus"]
rng = random.Random(2019)
gaz = Gazetteer.load()
today = date.today()


def headers(role: str, area: str, subject: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + issue_token(SECRET, subject=subject, roles=[role], area=area)}


def ok(response: httpx.Response) -> dict:
    if response.status_code >= 400:
        sys.exit(f"demo: {response.request.method} {response.request.url} -> "
                 f"{response.status_code} {response.text}")
    return response.json()


def person_rows(kelurahan: str, count: int, *, gender: str | None, dtks: bool, pkk: bool,
                serial: list[int]) -> list[dict[str, str]]:
    rows = []
    for _ in range(count):
        serial[0] += 1
        sex = gender or rng.choice("FM")
        first = rng.choice(FIRST[:11] if sex == "F" else FIRST[11:])
        born = date(rng.randint(1966, 2000), rng.randint(1, 12), rng.randint(1, 28))
        region = kelurahan.replace(".", "")[:6]
        rows.append({"nama": f"{first} {rng.choice(LAST)}", "nik": make_nik(region, born, sex, serial[0]),
                     "no_kk": make_nik(region, born, "M", 5000 + serial[0]),
                     "tanggal_lahir": born.isoformat(), "jenis_kelamin": "P" if sex == "F" else "L",
                     "no_hp": f"0812{rng.randint(10_000_000, 99_999_999)}",
                     "alamat": f"Jl. {rng.choice(LAST)} No. {rng.randint(1, 99)}",
                     "rt": str(rng.randint(1, 15)), "rw": str(rng.randint(1, 9)),
                     "kelurahan_code": kelurahan, "dtks": "ya" if dtks else "tidak",
                     "kader_pkk": "ya" if pkk else "tidak",
                     "usaha": rng.choice(["warung", "kue", "jahit", "cuci motor", "jus"]),
                     "penghasilan": str(rng.randint(5, 30) * 100_000)})
    return rows


def upload(client: httpx.Client, auth: dict, rows: list[dict], programme_id: str,
           track: str | None) -> dict:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    data = {"programme_id": programme_id, "verify": "true", **({"track": track} if track else {})}
    response = client.post(f"{REG}/imports", headers=auth, data=data,
                           files={"file": ("daftar.csv", buffer.getvalue().encode(), "text/csv")})
    report = ok(response)
    if response.status_code == 202:  # queued: registration's jobs role imports it in chunks
        report = wait_import(client, auth, report["id"])
    return report


def wait_import(client: httpx.Client, auth: dict, import_id: str) -> dict:
    """Poll GET /imports/{id} until the jobs role has read every row (state done)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        report = ok(client.get(f"{REG}/imports/{import_id}", headers=auth))
        if report["state"] == "done":
            return report
        if report["state"] == "failed":
            sys.exit(f"demo: import {import_id} failed: {report.get('error')}")
        if time.monotonic() > deadline:
            sys.exit(f"demo: import {import_id} still {report['state']} after {WAIT_S} s "
                     f"({report.get('rows_done')} rows done); is registration's jobs role "
                     "running? See var/log/registration.log")
        time.sleep(0.5)


def programme(client: httpx.Client, admin: dict, body: dict) -> str:
    return ok(client.post(f"{REG}/programmes", headers=admin, json={
        "intake_opens_on": str(today - timedelta(days=14)),
        "intake_closes_on": str(today + timedelta(days=30)), **body}))["id"]


def pages(client: httpx.Client, url: str, auth: dict, **params: str) -> list[dict]:
    """Every item of a cursor-paginated list."""
    items: list[dict] = []
    cursor = None
    while True:
        page = ok(client.get(url, headers=auth, params={
            **params, "limit": 500, **({"cursor": cursor} if cursor else {})}))
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            return items


def wait_until_equal(what: str, expected: set[str], read: Callable[[], set[str]]) -> None:
    """Poll ``read`` until it returns exactly ``expected`` (events are still flowing), bounded.

    A count is not enough: a roster can show 100 enrolled while a withdrawal is still on its
    way, and the next step then acts on a participant who has left."""
    deadline = time.monotonic() + WAIT_S
    if (actual := read()) != expected:
        print(f"demo: waiting for {what} to catch up ({len(expected - actual)} missing, "
              f"{len(actual - expected)} unexpected)")
    while actual != expected:
        time.sleep(1)
        actual = read()
        if actual != expected and time.monotonic() > deadline:
            sys.exit(f"demo: {what} did not catch up within {WAIT_S} s: "
                     f"{len(expected - actual)} missing, {len(actual - expected)} unexpected "
                     f"(of {len(expected)}); see var/log/*.log")


def wait_roster(client: httpx.Client, admin: dict, trainer: dict, programme_id: str,
                code: str) -> list[dict]:
    """Wait until training's roster of the programme is exactly the set of participants
    registration reports enrolled in it, then return the roster."""
    enrolled = {a["participant_id"] for a in pages(
        client, f"{REG}/applications", admin, programme_id=programme_id, status="enrolled")}
    roster: list[dict] = []

    def read() -> set[str]:
        roster[:] = pages(client, f"{TRAIN}/roster", trainer, programme_id=programme_id)
        return {r["participant_id"] for r in roster if r["status"] == "enrolled"}

    wait_until_equal(f"training's roster of {code}", enrolled, read)
    return roster


def run_cohort(client: httpx.Client, auth: dict, programme_id: str, track: str | None, name: str,
               area: str, members: list[str]) -> int:
    cohort = ok(client.post(f"{TRAIN}/cohorts", headers=auth, json={
        "programme_id": programme_id, "track": track, "name": name, "area_code": area,
        "venue": "Panti Sosial Bina Insan Bangun Daya 2, Cipayung" if area == "31.75"
        else "Kantor Kecamatan Cilandak",
        "starts_on": str(today - timedelta(days=6)), "ends_on": str(today)}))
    ok(client.post(f"{TRAIN}/cohorts/{cohort['id']}/members", headers=auth,
                   json={"participant_ids": members}))
    dropouts = set(members[::12])  # one in twelve misses most sessions and does not graduate
    for day in range(4):
        absent = [m for m in members if m in dropouts and day > 0]
        ok(client.post(f"{TRAIN}/cohorts/{cohort['id']}/attendance", headers=auth, json={
            "session_on": str(today - timedelta(days=6 - day)),
            "present": [m for m in members if m not in absent], "absent": absent}))
    graduated = 0
    for member in members:
        r = client.post(f"{TRAIN}/cohorts/{cohort['id']}/graduations", headers=auth,
                        json={"participant_id": member})
        graduated += r.status_code == 201
    return graduated


def main() -> None:
    client = httpx.Client(timeout=120)
    admin = headers("city_admin", "31", "admin.dki")
    if any(p["code"] == "UP2K-CILANDAK" for p in ok(client.get(f"{REG}/programmes", headers=admin))):
        print("demo: data already loaded (`make clean` empties the SQLite stores under var/)")
        return
    serial = [0]
    up2k = programme(client, admin, {
        "code": "UP2K-CILANDAK", "name": "UP2K Kecamatan Cilandak (kader PKK)", "kind": "UP2K",
        "target_area_code": "31.74.06", "total_capacity": 100, "kelurahan_quota": 20,
        "eligibility_rules": [{"kind": "pkk_cadre"}, {"kind": "gender", "value": "F"},
                              {"kind": "resides_in", "area_codes": ["31.74.06"]}]})
    uep = programme(client, admin, {
        "code": "UEP-JAKTIM-2019", "name": "Pelatihan UEP bagi Keluarga Miskin, Jakarta Timur 2019",
        "kind": "UEP", "target_area_code": "31.75", "total_capacity": 485, "tracks": UEP_TRACKS,
        "eligibility_rules": [{"kind": "dtks_listed"}, {"kind": "age_between", "min": 18, "max": 64},
                              {"kind": "resides_in", "area_codes": ["31.75"]}]})
    for kel in gaz.children("31.74.06"):
        lurah = headers("kelurahan_officer", kel.code, f"lurah.{kel.code}")
        report = upload(client, lurah, person_rows(kel.code, 21, gender="F", dtks=False, pkk=True,
                                                   serial=serial), up2k, None)
        print(f"demo: UP2K {kel.name}: {report['outcomes']}")
    kecamatan = gaz.children("31.75")
    per_track = {t: 0 for t in UEP_TRACKS}
    for i, kec in enumerate(kecamatan):
        camat = headers("kecamatan_officer", kec.code, f"camat.{kec.code}")
        kelurahan = gaz.children(kec.code)
        for t, track in enumerate(UEP_TRACKS):
            count = 485 // 40 + (1 if i * 4 + t < 485 % 40 else 0)
            rows = [r for k in range(count) for r in person_rows(
                kelurahan[k % len(kelurahan)].code, 1, gender=None, dtks=True, pkk=False, serial=serial)]
            rows += person_rows(kelurahan[0].code, 1 if t == 0 else 0, gender=None, dtks=False,
                                pkk=False, serial=serial)  # not in DTKS: rejected
            report = upload(client, camat, rows, uep, track)
            per_track[track] += report["outcomes"].get("enrolled", 0)
    print(f"demo: UEP enrolled per track: {per_track}")

    barat = headers("kelurahan_officer", "31.74.06.1001", "lurah.31.74.06.1001")
    enrolled = ok(client.get(f"{REG}/applications", headers=barat,
                             params={"programme_id": up2k, "status": "enrolled", "limit": 1}))
    ok(client.post(f"{REG}/applications/{enrolled['items'][0]['id']}/withdraw", headers=barat,
                   json={"reason": "pindah domisili ke luar Jakarta"}))
    print("demo: one Cilandak Barat cadre withdrew; the first on the waiting list was enrolled")

    trainer = headers("trainer", "31", "pelatih.okoce")
    roster = wait_roster(client, admin, trainer, up2k, "UP2K-CILANDAK")
    graduated = run_cohort(client, trainer, up2k, None, "UP2K Cilandak angkatan 1", "31.74.06",
                           [r["participant_id"] for r in roster if r["status"] == "enrolled"])
    roster = wait_roster(client, admin, trainer, uep, "UEP-JAKTIM-2019")
    for track in UEP_TRACKS:
        members = [r["participant_id"] for r in roster if r["track"] == track and r["status"] == "enrolled"]
        graduated += run_cohort(client, trainer, uep, track, f"UEP 2019 {track}", "31.75", members)
    print(f"demo: {graduated} graduated")

    # Every graduate becomes a seller (marketplace) and gets a follow-up plan (monitoring).
    graduates = {r["participant_id"] for p in (up2k, uep)
                 for r in pages(client, f"{TRAIN}/roster", trainer, programme_id=p)
                 if r["status"] == "graduated"}
    wait_until_equal("marketplace's sellers", graduates, lambda: {
        s["participant_id"] for s in pages(client, f"{MKT}/sellers", admin)})
    wait_until_equal("monitoring's plans", graduates, lambda: {
        p["participant_id"] for p in pages(client, f"{MON}/plans", admin)})
    sellers = ok(client.get(f"{MKT}/sellers", headers=admin, params={"limit": 20}))["items"]
    for seller in sellers:
        officer = headers("kelurahan_officer", seller["kelurahan_code"], "lurah.demo")
        ok(client.post(f"{MKT}/sellers/{seller['id']}/products", headers=officer, json={
            "name": rng.choice(["Kue lapis", "Nasi uduk", "Jus alpukat", "Kue cubit", "Es cendol"]),
            "price": rng.randint(5, 40) * 1000, "unit": "porsi", "category": "makanan"}))
    print(f"demo: {len(graduates)} sellers and follow-up plans; products listed for "
          f"{len(sellers)} sellers; catalogue: {MKT}/catalogue")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # Ctrl-C: run.sh says it is stopping; no traceback
        sys.exit(130)
