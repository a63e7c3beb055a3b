"""Demo data for `make run`, loaded only through the public HTTP APIs so the events flow.

Two programmes from the source articles (../shared/seeds):
* UEP bagi Keluarga Miskin, Jakarta Timur 2019: 485 poor residents of Jakarta Timur's ten
  kecamatan in four tracks (tata boga, kue basah, steam motor, minuman/jus); the eligibility
  rules need a DTKS-listed household, so a few non-DTKS applicants are rejected. Trained at
  Panti Sosial Bina Insan Bangun Daya 2 (Kelurahan Cipayung, 150 seats) in two cohorts
  (angkatan) per track by a trainer of a Sudin/UKPD per track; every graduate receives the
  track's starter kit (alat masak set, alat kue set, kompresor dan mesin cuci steam, blender
  set), machines with their serial numbers.
* UP2K Kecamatan Cilandak: 20 PKK cadres from each of its five kelurahan; each lurah's office
  uploads a list of 21, so the 21st is waitlisted, and one withdrawal enrols the next in line.
  Trained at the Kantor Kecamatan Cilandak (100 seats), accompanied by five OK OCE mentors
  (one per kelurahan) assigned before the cohort closes, so every graduation carries its
  mentor; one decision is overridden by the camat with a written reason.
Every cohort has a schedule of sessions, an attendance sheet per session (a few members miss
too many) and two assessments (a few score under the pass mark); closing it decides everyone
with the track's rule. People are synthetic (valid-format NIKs). Intake windows are set around
today so the demo can enrol; the programme names keep the articles' year. Then monitoring
plans follow-up visits and marketplace lists graduates' products.
Re-running does nothing once the programmes exist.
"""

import csv
import io
import itertools
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from berdaya_shared.api.auth import issue_token
from berdaya_shared.gazetteer import Gazetteer
from berdaya_shared.settings import DEV_JWT_SECRET
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
rng = random.Random(2019)
gaz = Gazetteer.load()
today = date.today()


def headers(role: str, area: str, subject: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + issue_token(SECRET, subject=subject, roles=[role], area=area)}


def ok(response: httpx.Response) -> Any:
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


def wait_roster(client: httpx.Client, admin: dict, reader: dict, programme_id: str,
                code: str) -> list[dict]:
    """Wait until training's roster of the programme is exactly the set of participants
    registration reports enrolled in it, then return the roster."""
    enrolled = {a["participant_id"] for a in pages(
        client, f"{REG}/applications", admin, programme_id=programme_id, status="enrolled")}
    roster: list[dict] = []

    def read() -> set[str]:
        roster[:] = pages(client, f"{TRAIN}/roster", reader, programme_id=programme_id)
        return {r["participant_id"] for r in roster if r["status"] == "enrolled"}

    wait_until_equal(f"training's roster of {code}", enrolled, read)
    return roster


@dataclass(frozen=True)
class TrackSpec:
    """A track as training keeps it: its rule, its kit (``machines`` are the items with a
    serial number, with their prefix) and who teaches it."""

    code: str
    name: str
    kit_type: str
    kit_items: list[str]
    machines: dict[str, str]
    topics: list[str]
    trainer: str
    organisation: str
    hours: int = 30
    min_attendance_share: float = 0.75
    min_score: int = 60


COMMON_TOPICS = ["Menghitung modal, harga pokok dan harga jual",
                 "Pemasaran, pengemasan dan pembukuan sederhana"]
UEP_SPECS = [
    TrackSpec("tata-boga", "Tata Boga", "alat masak set",
              ["kompor gas dua tungku", "tabung gas 3 kg", "wajan", "panci set", "rice cooker"],
              {"kompor gas dua tungku": "KMP", "rice cooker": "RC"},
              ["Keamanan pangan dan kebersihan dapur", "Masakan rumahan: nasi dan lauk",
               "Aneka gorengan dan kudapan"],
              "Dewi Anggraini", "Sudin PPKUKM Jakarta Timur"),
    TrackSpec("kue-basah", "Kue Basah", "alat kue set",
              ["oven tangkring", "mixer", "kukusan", "loyang set", "cetakan kue"],
              {"mixer": "MIX"},
              ["Bahan dan takaran kue basah", "Kue kukus: bolu, lapis, nagasari",
               "Kue panggang dan hiasan"],
              "Ratna Sari Dewi", "Sudin PPKUKM Jakarta Timur"),
    TrackSpec("steam-motor", "Steam Motor", "kompresor dan mesin cuci steam",
              ["kompresor udara", "mesin cuci steam", "selang tekanan tinggi", "sikat dan lap"],
              {"kompresor udara": "KPR", "mesin cuci steam": "JET"},
              ["Keselamatan kerja dan listrik", "Mencuci motor dengan mesin steam",
               "Perawatan kompresor dan mesin"],
              "Bambang Supriyadi", "PPKD Jakarta Timur (Disnakertransgi)"),
    TrackSpec("minuman-jus", "Minuman dan Jus", "blender set",
              ["blender", "dispenser minuman", "termos es", "gelas plastik dan sedotan"],
              {"blender": "BLD"},
              ["Buah, gula dan kebersihan minuman", "Aneka jus dan es buah",
               "Minuman tradisional: cendol dan wedang"],
              "Yuliani Putri", "Sudin KPKP Jakarta Timur"),
]
UP2K_SPEC = TrackSpec("usaha-rumahan", "Usaha Rumahan (UP2K)", "paket usaha rumahan",
                      ["kompor gas satu tungku", "panci", "wajan", "timbangan digital",
                       "etalase kecil"],
                      {"kompor gas satu tungku": "KMP", "timbangan digital": "TBG"},
                      ["Memilih usaha rumahan", "Produksi: kue dan makanan ringan"],
                      "Rina Marlina", "Sudin UMKM Jakarta Selatan", hours=16)
UEP_TRACKS = [s.code for s in UEP_SPECS]  # registration's roster tracks = training's codes
OK_OCE_MENTORS = ["Ahmad Fauzi", "Intan Permata", "Rizky Ramadhan", "Maya Safitri",
                  "Teguh Prasetyo"]
CIPAYUNG, CILANDAK_BARAT = "31.75.10.1001", "31.74.06.1001"
SERIALS = itertools.count(1)  # machines' serial numbers, unique across the demo


@dataclass
class Tally:
    venue: str = ""
    cohorts: int = 0
    sessions: int = 0
    graduated: int = 0
    not_graduated: int = 0
    kits: int = 0


def create_person(client: httpx.Client, auth: dict, body: dict) -> str:
    return ok(client.post(f"{TRAIN}/people", headers=auth, json={
        "phone": f"0813-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}", **body}))["id"]


def create_track(client: httpx.Client, admin: dict, programme_id: str, spec: TrackSpec) -> None:
    ok(client.post(f"{TRAIN}/programmes/{programme_id}/tracks", headers=admin, json={
        "code": spec.code, "name": spec.name, "hours": spec.hours, "kit_type": spec.kit_type,
        "kit_items": spec.kit_items, "min_attendance_share": spec.min_attendance_share,
        "min_score": spec.min_score}))


def sheet(members: list[str], sessions: int, *, excused: dict[str, set[int]]) -> list[list[dict]]:
    """Attendance per session: most come every time, about one in twenty misses two sessions
    (under 75 %), some miss one (still enough); ``excused`` members had leave (izin)."""
    missed: dict[str, set[int]] = {}
    for member in members:
        draw = rng.random()
        if member in excused:
            continue
        if draw < 0.05:
            missed[member] = set(rng.sample(range(sessions), 2))
        elif draw < 0.15:
            missed[member] = {rng.randrange(sessions)}
    return [[{"participant_id": m, "status": "excused" if day in excused.get(m, set())
              else "absent" if day in missed.get(m, set()) else "present"} for m in members]
            for day in range(sessions)]


def scores(members: list[str]) -> list[dict]:
    """A practical and a written test each; a few written tests fall under the pass mark."""
    rows = []
    for member in members:
        written = rng.randint(40, 59) if rng.random() < 0.05 else rng.randint(60, 95)
        rows += [{"participant_id": member, "kind": "practical", "score": rng.randint(62, 98)},
                 {"participant_id": member, "kind": "written", "score": written}]
    return rows


def run_cohort(client: httpx.Client, organiser: dict, trainer: dict, *, programme_id: str,
               spec: TrackSpec, trainer_id: str, name: str, venue_id: str, area: str,
               members: list[str], first_day: date, tally: Tally,
               excused: dict[str, set[int]] | None = None) -> tuple[str, list[dict]]:
    """Schedule, fill and start a cohort (the organiser), then the trainer records every
    session's attendance and both assessments and closes it. Returns the decisions."""
    days = len(spec.topics) + len(COMMON_TOPICS)
    cohort = ok(client.post(f"{TRAIN}/cohorts", headers=organiser, json={
        "programme_id": programme_id, "track_code": spec.code, "name": name,
        "venue_id": venue_id, "area_code": area, "starts_on": str(first_day),
        "ends_on": str(first_day + timedelta(days=days - 1))}))["id"]
    ok(client.post(f"{TRAIN}/cohorts/{cohort}/members", headers=organiser,
                   json={"participant_ids": members}))
    sessions = [ok(client.post(f"{TRAIN}/cohorts/{cohort}/sessions", headers=organiser, json={
        "held_on": str(first_day + timedelta(days=day)), "starts_at": "08:30",
        "ends_at": "14:30" if spec.hours >= 30 else "12:30", "topic": topic,
        "trainer_id": trainer_id}))["id"]
        for day, topic in enumerate(spec.topics + COMMON_TOPICS)]
    ok(client.post(f"{TRAIN}/cohorts/{cohort}/start", headers=organiser))
    for session_id, entries in zip(sessions, sheet(members, days, excused=excused or {}),
                                   strict=True):
        ok(client.put(f"{TRAIN}/cohorts/{cohort}/sessions/{session_id}/attendance",
                      headers=trainer, json={"entries": entries}))
    ok(client.put(f"{TRAIN}/cohorts/{cohort}/assessments", headers=trainer,
                  json={"scores": scores(members)}))
    decisions: list[dict] = ok(client.post(f"{TRAIN}/cohorts/{cohort}/close", headers=trainer))
    tally.cohorts += 1
    tally.sessions += days
    return cohort, decisions


def tally_up(tally: Tally, decisions: list[dict]) -> list[str]:
    """Add the decisions to the tally; the graduates' participant ids."""
    graduates = [d["participant_id"] for d in decisions if d["outcome"] == "graduated"]
    tally.graduated += len(graduates)
    tally.not_graduated += len(decisions) - len(graduates)
    return graduates


def issue_kits(client: httpx.Client, auth: dict, *, programme_id: str, spec: TrackSpec,
               graduates: list[str], names: dict[str, str], handed_over_by: str,
               tally: Tally) -> None:
    """The track's kit to every graduate, machines with their serial numbers, signed for."""
    handed = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    for participant_id in graduates:
        items = []
        for item in spec.kit_items:
            prefix = spec.machines.get(item)
            items.append({"name": item, "quantity": 1, **(
                {"serial_number": f"{prefix}-2019-{next(SERIALS):05d}"}
                if prefix else {})})
        ok(client.post(f"{TRAIN}/kits", headers=auth, json={
            "participant_id": participant_id, "programme_id": programme_id,
            "kit_type": spec.kit_type, "items": items, "handed_over_by": handed_over_by,
            "handed_over_at": handed.isoformat(),
            "acknowledged_by_name": names[participant_id],
            "acknowledged_at": (handed + timedelta(minutes=5)).isoformat()}))
        tally.kits += 1


def train_up2k(client: httpx.Client, admin: dict, programme_id: str, roster: list[dict]) -> Tally:
    """UP2K Cilandak: the camat's office runs one cohort of the 100 cadres at the Kantor
    Kecamatan with five OK OCE mentors (one per kelurahan, assigned before closing)."""
    camat = headers("kecamatan_officer", "31.74.06", "camat.cilandak")
    spec, tally = UP2K_SPEC, Tally(venue="Kantor Kecamatan Cilandak")
    create_track(client, admin, programme_id, spec)
    venue = ok(client.post(f"{TRAIN}/venues", headers=camat, json={
        "name": "Kantor Kecamatan Cilandak", "address": "Jl. RS Fatmawati Raya No. 1",
        "kelurahan_code": CILANDAK_BARAT, "capacity": 100}))["id"]
    trainer_subject = "pelatih.usaha-rumahan"
    trainer_id = create_person(client, camat, {
        "kind": "trainer", "full_name": spec.trainer, "organisation": spec.organisation,
        "area_code": "31.74.06", "user_subject": trainer_subject})
    trainer = headers("trainer", "31.74.06", trainer_subject)
    members = [r for r in roster if r["status"] == "enrolled"]
    by_kelurahan: dict[str, list[str]] = {}
    for r in members:
        by_kelurahan.setdefault(r["kelurahan_code"], []).append(r["participant_id"])
    for name, (kelurahan, cadres) in zip(OK_OCE_MENTORS, sorted(by_kelurahan.items()), strict=True):
        mentor = create_person(client, camat, {  # one per kelurahan, room for a few more
            "kind": "mentor", "full_name": name, "organisation": "OK OCE",
            "area_code": kelurahan, "max_caseload": 25})
        ok(client.post(f"{TRAIN}/mentors/{mentor}/participants", headers=camat, json={
            "programme_id": programme_id, "participant_ids": cadres}))
    print(f"demo: UP2K: {len(OK_OCE_MENTORS)} pendamping OK OCE mendampingi {len(members)} "
          "kader (OK OCE mentors assigned)")
    ids = [r["participant_id"] for r in members]
    sick = ids[7]  # on leave (sakit) for two sessions: under 75 %, the camat weighs the excuse
    cohort, decisions = run_cohort(
        client, camat, trainer, programme_id=programme_id, spec=spec, trainer_id=trainer_id,
        name="UP2K Cilandak angkatan 1", venue_id=venue, area="31.74.06", members=ids,
        first_day=today - timedelta(days=8), tally=tally, excused={sick: {1, 2}})
    graduates = tally_up(tally, decisions)
    overridden = 0
    sick_score = next(d for d in decisions if d["participant_id"] == sick)["score"]
    if sick not in graduates and sick_score is not None and sick_score >= spec.min_score:
        ok(client.post(f"{TRAIN}/cohorts/{cohort}/decisions/{sick}/override", headers=camat,
                       json={"outcome": "graduated", "reason": "Izin sakit dua sesi dengan "
                             "surat dokter; materi susulan sudah diikuti dan nilai lulus."}))
        graduates.append(sick)
        tally.graduated, tally.not_graduated, overridden = (tally.graduated + 1,
                                                            tally.not_graduated - 1, 1)
    print(f"demo: UP2K: {tally.graduated} lulus, {tally.not_graduated} tidak lulus "
          f"({overridden} keputusan diubah camat dengan alasan tertulis)")
    names = {r["participant_id"]: r["full_name"] for r in members}
    issue_kits(client, camat, programme_id=programme_id, spec=spec, graduates=graduates,
               names=names, handed_over_by="Sri Wahyuni (Kecamatan Cilandak)", tally=tally)
    return tally


def train_uep(client: httpx.Client, admin: dict, programme_id: str, roster: list[dict]) -> Tally:
    """UEP Jakarta Timur: four tracks at the Panti Sosial in Cipayung, two cohorts each (a
    track's ~120 trainees take turns; the panti seats 150), one trainer per track."""
    camat = headers("kecamatan_officer", "31.75.10", "camat.cipayung")
    tally = Tally(venue="Panti Sosial Bina Insan Bangun Daya 2, Cipayung")
    venue = ok(client.post(f"{TRAIN}/venues", headers=camat, json={
        "name": "Panti Sosial Bina Insan Bangun Daya 2", "address": "Jl. Bambu Wulung, Cipayung",
        "kelurahan_code": CIPAYUNG, "capacity": 150}))["id"]
    names = {r["participant_id"]: r["full_name"] for r in roster}
    for spec in UEP_SPECS:
        create_track(client, admin, programme_id, spec)
        subject = f"pelatih.{spec.code}"
        trainer_id = create_person(client, admin, {
            "kind": "trainer", "full_name": spec.trainer, "organisation": spec.organisation,
            "area_code": "31.75", "user_subject": subject})
        trainer = headers("trainer", "31.75", subject)
        members = [r["participant_id"] for r in roster
                   if r["track"] == spec.code and r["status"] == "enrolled"]
        half = (len(members) + 1) // 2
        before = tally.graduated
        for wave, group in enumerate((members[:half], members[half:])):
            _, decisions = run_cohort(
                client, admin, trainer, programme_id=programme_id, spec=spec,
                trainer_id=trainer_id, name=f"UEP 2019 {spec.name} angkatan {wave + 1}",
                venue_id=venue, area="31.75", members=group,
                first_day=today - timedelta(days=20 - 8 * wave), tally=tally)
            graduates = tally_up(tally, decisions)
            issue_kits(client, trainer, programme_id=programme_id, spec=spec,
                       graduates=graduates, names=names,
                       handed_over_by=f"{spec.trainer} ({spec.organisation})", tally=tally)
        print(f"demo: UEP {spec.name}: {len(members)} peserta, {tally.graduated - before} lulus, "
              f"paket '{spec.kit_type}' diserahkan")
    return tally


FIRST_VISIT = [("active_daily", 0.55, 1.6), ("active_weekly", 0.15, 1.3),
               ("seasonal", 0.12, 1.05), ("stopped", 0.08, 0.5)]  # the rest not visited yet


def follow_up_up2k(client: httpx.Client, admin: dict, programme_id: str) -> None:
    """For the dashboard (monitoring): Cilandak's field officer records most UP2K graduates'
    first visit (producing daily or weekly, only for Lebaran, or stopped; income against the
    baseline; the kit; needs that suggest referrals), the camat sends the suggested referrals,
    and the city sets the kecamatan's target from the article: 4,000-5,000 new entrepreneurs
    in five years. The unvisited ones stay overdue and escalate to the lurah and the camat."""
    officer = headers("field_officer", "31.74.06", "petugas.cilandak")
    counts = {status: 0 for status, _, _ in FIRST_VISIT}
    for plan in sorted(pages(client, f"{MON}/plans", admin, programme_id=programme_id),
                       key=lambda p: p["id"]):
        draw, status, factor = rng.random(), None, 1.0
        for name, share, gain in FIRST_VISIT:
            if draw < share:
                status, factor = name, gain
                break
            draw -= share
        if status is None:
            continue
        first = min(ok(client.get(f"{MON}/plans/{plan['id']}", headers=admin))["visits"],
                    key=lambda v: v["sequence"])
        baseline = plan["baseline_monthly_income"] or 1_000_000
        needs = {"stopped": ["capital"], "seasonal": ["marketing"]}.get(status, [])
        ok(client.post(f"{MON}/visits/{first['id']}/record", headers=officer, json={
            "visited_on": str(today), "business_status": status,
            "monthly_net_income": int(round(baseline * factor * rng.uniform(0.8, 1.2), -4)),
            "kit_state": "idle" if status == "stopped" else "in_use", "needs": needs,
            "channels": [] if status == "stopped" else ["home", "orders"]}))
        counts[status] += 1
    camat = headers("kecamatan_officer", "31.74.06", "camat.cilandak")
    suggested = pages(client, f"{MON}/referrals", camat, status="suggested")
    for referral in suggested:
        ok(client.post(f"{MON}/referrals/{referral['id']}/send", headers=camat, json={}))
    ok(client.put(f"{MON}/targets/31.74.06", headers=admin, json={
        "new_entrepreneurs_min": 4000, "new_entrepreneurs_max": 5000,
        "starts_on": str(date(today.year, 1, 1)), "ends_on": str(date(today.year + 4, 12, 31))}))
    print(f"demo: UP2K first visits recorded {counts}; {len(suggested)} referrals sent; the "
          f"unvisited are overdue. Dashboard: {MON}/dashboard")


def bazaar_cilandak_barat(client: httpx.Client, admin: dict, programme_id: str) -> None:
    """The lurah of Cilandak Barat runs a bazaar for her kelurahan's UP2K graduates (issue 9):
    she records the consent of those who have not given it yet and lists their kue basah,
    opens a two-day bazaar with fewer booths than graduates (they are invited), applies for
    each active one (a seller monitoring found stopped is paused and cannot apply), allocates
    the booths by the rule and records the booth holders' sales, which reach monitoring."""
    kelurahan = "31.74.06.1001"
    lurah = headers("kelurahan_officer", kelurahan, "lurah.cilandak-barat")
    graduates = {r["participant_id"] for r in pages(client, f"{TRAIN}/roster", admin,
                                                    programme_id=programme_id)
                 if r["status"] == "graduated"}
    sellers = [s for s in pages(client, f"{MKT}/sellers", lurah)
               if s["participant_id"] in graduates]
    for seller in sellers:
        if seller["status"] == "pending_consent":
            ok(client.put(f"{MKT}/sellers/{seller['id']}/consent", headers=lurah, json={
                "shop_name": f"Kue {seller['display_name'].split()[0]} Cilandak Barat",
                "contact_preference": "via_officer"}))
        # A seller monitoring found stopped is paused (a 409 here): no product, no booth.
        client.post(f"{MKT}/sellers/{seller['id']}/products", headers=lurah, json={
            "name": rng.choice(["Kue talam", "Kue lapis", "Nagasari", "Kue mangkok"]),
            "price": rng.randint(2, 5) * 1000, "unit": "potong", "category": "kue-basah"})
    bazaar = ok(client.post(f"{MKT}/bazaars", headers=lurah, json={
        "name": "Bazar UP2K Kelurahan Cilandak Barat", "area_code": kelurahan,
        "starts_on": str(today - timedelta(days=1)), "ends_on": str(today),
        "venue": "Halaman Kantor Kelurahan Cilandak Barat",
        "booths": max(1, len(sellers) - 4), "categories": ["kue-basah"]}))
    applied = sum(client.post(f"{MKT}/bazaars/{bazaar['id']}/applications", headers=lurah,
                              json={"seller_id": s["id"]}).status_code == 201 for s in sellers)
    placements = ok(client.post(f"{MKT}/bazaars/{bazaar['id']}/allocation",
                                headers=lurah))["placements"]
    for place in placements:
        if place["status"] == "allocated":
            for day in (today - timedelta(days=1), today):
                quantity = rng.randint(10, 40)
                ok(client.post(f"{MKT}/bazaars/{bazaar['id']}/sales", headers=lurah, json={
                    "seller_id": place["seller_id"], "quantity": quantity,
                    "amount": quantity * rng.randint(2, 5) * 1000, "sold_on": str(day)}))
    totals = ok(client.get(f"{MKT}/bazaars/{bazaar['id']}/report", headers=lurah))["totals"]
    print(f"demo: Bazar UP2K Cilandak Barat: {bazaar['invited']} diundang (invited), {applied} "
          f"mendaftar (applied), {totals['allocated']} stand dibagi (booths), "
          f"{totals['waitlisted']} daftar tunggu (waiting list), penjualan Rp "
          f"{totals['amount']:,} (sales); alasan tiap peserta: "
          f"{MKT}/bazaars/{bazaar['id']}/allocation")


def order_kue_basah() -> None:
    """A city unit orders kue basah for its event (issue 9): Sudin UMKM Jakarta Selatan orders
    from Cilandak Barat's catalogue for a meeting; the lurah accepts and, after delivery,
    fulfils it (a sale monitoring counts). A resident orders too (no account: name and phone);
    that order waits for the lurah."""
    client = httpx.Client(timeout=120)
    kelurahan = "31.74.06.1001"
    lurah = headers("kelurahan_officer", kelurahan, "lurah.cilandak-barat")
    ukpd = headers("integration", "31.74", "sudin-umkm.jaksel")
    items = ok(client.get(f"{MKT}/catalogue", params={"kelurahan_code": kelurahan,
                                                     "category": "kue-basah", "limit": 2}))["items"]
    if not items:
        print("demo: no kue basah in Cilandak Barat's catalogue to order")
        return
    order = ok(client.post(f"{MKT}/orders", headers={**ukpd, "Idempotency-Key": "demo-rakor-umkm"},
                           json={"product_id": items[0]["id"], "quantity": 150,
                                 "unit_name": "Sudin UMKM Jakarta Selatan",
                                 "delivery_date": str(today + timedelta(days=3)),
                                 "delivery_place": "Aula Kantor Walikota Jakarta Selatan",
                                 "budget_reference": "DPA-SUDIN-UMKM/017",
                                 "note": "Rapat koordinasi UMKM"}))
    ok(client.post(f"{MKT}/orders/{order['id']}/accept", headers=lurah))
    ok(client.post(f"{MKT}/orders/{order['id']}/fulfil", headers=lurah))
    ok(client.post(f"{MKT}/catalogue/orders", json={
        "product_id": items[-1]["id"], "quantity": 20, "name": "Rina Marlina",
        "phone": "0812-3456-7890", "note": "Untuk arisan RT 04"}))
    print(f"demo: Sudin UMKM Jakarta Selatan memesan {order['quantity']} {order['product_name']} "
          f"(Rp {order['amount']:,}), diterima dan selesai (ordered, accepted, fulfilled); a "
          f"resident's order waits for the lurah: {MKT}/orders?status=placed")


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
    # For the dashboard: UP2K's first visit was due two weeks before the graduation (a demo
    # shortcut), so Cilandak has overdue, escalated visits today.
    ok(client.put(f"{MON}/programmes/{up2k}/visit-schedule", headers=admin,
                  json={"offsets_days": [-14, 30, 90, 180, 365]}))
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

    roster = wait_roster(client, admin, admin, up2k, "UP2K-CILANDAK")
    up2k_tally = train_up2k(client, admin, up2k, roster)
    roster = wait_roster(client, admin, admin, uep, "UEP-JAKTIM-2019")
    uep_tally = train_uep(client, admin, uep, roster)
    for code, tally in (("UEP-JAKTIM-2019", uep_tally), ("UP2K-CILANDAK", up2k_tally)):
        print(f"demo: {code} di {tally.venue}: {tally.cohorts} kelompok, {tally.sessions} sesi; "
              f"{tally.graduated} lulus, {tally.not_graduated} tidak lulus (graduated / not "
              f"graduated); {tally.kits} paket usaha diserahkan (starter kits issued)")

    # Every graduate becomes a seller (marketplace) and gets a follow-up plan (monitoring).
    graduates = {r["participant_id"] for p in (up2k, uep)
                 for r in pages(client, f"{TRAIN}/roster", admin, programme_id=p)
                 if r["status"] == "graduated"}
    wait_until_equal("marketplace's sellers", graduates, lambda: {
        s["participant_id"] for s in pages(client, f"{MKT}/sellers", admin)})
    wait_until_equal("monitoring's plans", graduates, lambda: {
        p["participant_id"] for p in pages(client, f"{MON}/plans", admin)})
    follow_up_up2k(client, admin, up2k)
    sellers = ok(client.get(f"{MKT}/sellers", headers=admin, params={"limit": 20}))["items"]
    for number, seller in enumerate(sellers, start=1):
        officer = headers("kelurahan_officer", seller["kelurahan_code"], "lurah.demo")
        ok(client.post(f"{MKT}/sellers/{seller['id']}/products", headers=officer, json={
            "name": rng.choice(["Kue lapis", "Nasi uduk", "Jus alpukat", "Kue cubit", "Es cendol"]),
            "price": rng.randint(5, 40) * 1000, "unit": "porsi", "category": "makanan"}))
        # The graduate agrees to sell publicly under a shop name (recorded by the lurah); every
        # third one also lets the public see their full name.
        ok(client.put(f"{MKT}/sellers/{seller['id']}/consent", headers=officer, json={
            "shop_name": f"{rng.choice(['Dapur', 'Warung', 'Kedai', 'Pawon'])} "
                         f"{seller['display_name'].split()[0]} {number}",
            "description": "Pesanan untuk acara kantor dan hajatan",
            "contact_preference": rng.choice(["via_officer", "whatsapp"]),
            "show_full_name": number % 3 == 0}))
    print(f"demo: {len(graduates)} sellers and follow-up plans; products listed and consent "
          f"recorded for {len(sellers)} sellers (the others wait for consent, hidden); "
          f"catalogue: {MKT}/catalogue")
    bazaar_cilandak_barat(client, admin, up2k)
    order_kue_basah()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # Ctrl-C: run.sh says it is stopping; no traceback
        sys.exit(130)
