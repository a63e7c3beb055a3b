"""The officer dashboard in a real browser (Debian's chromium, driven by Playwright) against
the four live services on Kafka and PostgreSQL, loaded with a small story (``story.py``).

A camat signs in with a token, sees the kecamatan's numbers equal to the API's, follows an
overdue count to its list, exports it as CSV, narrows the page to one kelurahan; a lurah of
another kelurahan sees none of the first one's people. Screenshots (laptop and phone) are
saved to ``.state/test-reports/screenshots/``; the page's load time on this data is printed.
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from . import story as s
from .conftest import TOPIC_PREFIX

LAPTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def told(live, kafka_bootstrap: str) -> s.Story:
    return s.tell(live.urls, kafka_bootstrap, TOPIC_PREFIX)


@pytest.fixture
def page(told, browser) -> Iterator[Any]:  # told first: its asyncio runs before Playwright's
    context = browser.new_context(viewport=LAPTOP, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(60_000)  # a busy two-core machine; no timing is asserted
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def sign_in(page: Any, base: str, token: str) -> float:
    page.goto(f"{base}/dashboard")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_label("Token akses (bearer)").fill(token)
    page.get_by_label("Token akses (bearer)").press("Enter")  # pasted, then Enter
    page.wait_for_selector("body[data-ready='1']")
    return float(page.locator("body").get_attribute("data-load-ms") or "nan")


def kpi(page: Any, name: str) -> str:
    text: str = page.locator(f"[data-kpi='{name}'] .value").inner_text()
    return text


def count_cells(page: Any) -> dict[str, tuple[int, int]]:
    """The per-kelurahan table: code -> (overdue, escalated), as the page shows them."""
    shown = {}
    for row in page.locator("#table-load tbody tr[data-kelurahan]").all():
        overdue, escalated = (int(c.inner_text().replace(".", "")) for c in row.locator("td").all())
        shown[row.get_attribute("data-kelurahan")] = (overdue, escalated)
    return shown


def test_a_camat_reads_the_kecamatan_and_a_lurah_sees_only_their_own(told, live, page,
                                                                    screenshots: Path) -> None:
    mon, http = live.urls["monitoring"], httpx.Client(timeout=30)
    camat_token = s.token("kecamatan_officer", s.KECAMATAN, "camat.cilandak")
    camat = {"Authorization": f"Bearer {camat_token}"}
    load_ms = sign_in(page, mon, camat_token)
    print(f"\ndashboard: first load with the story's data took {load_ms:.0f} ms in chromium")
    page.screenshot(path=screenshots / "1-camat-ringkasan.png", full_page=True)

    # The kecamatan's numbers are the API's.
    [row] = s.ok(http.get(f"{mon}/indicators", headers=camat,
                          params={"group_by": "kecamatan"}))["rows"]
    assert row["key"] == s.KECAMATAN and row["graduates"] == 6
    assert kpi(page, "new_entrepreneurs") == str(row["new_entrepreneurs"]) == "1"
    assert kpi(page, "graduates") == str(row["graduates"])
    assert kpi(page, "kits_in_use") == f"{row['kits_in_use']} / {row['kits_issued']}"
    assert kpi(page, "seasonal") == f"{round(100 * row['seasonal'] / row['graduates'])}%"
    assert kpi(page, "stopped") == f"{round(100 * row['stopped'] / row['graduates'])}%"
    target = page.locator("[data-kpi='new_entrepreneurs'] .note").inner_text()
    assert "4.000–5.000" in target and f"{row['target']['expected_to_date']:,}".replace(
        ",", ".") in target
    work = s.ok(http.get(f"{mon}/work-list", headers=camat, params={"limit": 500}))["items"]
    shown = count_cells(page)
    assert set(shown) == {s.BARAT, s.PONDOK_LABU, s.GANDARIA}
    for code, (overdue, escalated) in shown.items():
        assert overdue == len([w for w in work if w["kelurahan_code"] == code])
        assert escalated == len([w for w in work if w["kelurahan_code"] == code
                                 and w["escalation_level"] is not None])
    assert kpi(page, "overdue") == str(len(work))
    sales = page.locator("#table-sales tbody tr").all_inner_texts()
    assert len(sales) == 2 and "350.000" in sales[0] and "500.000" in sales[1]
    assert "Sudin" in page.locator("#table-referrals tbody").inner_text() or \
        page.locator("#table-referrals tbody tr").count() == 1
    assert page.locator("#chart-load").get_attribute("aria-label")

    # Who produces only for Lebaran: the seasonal share opens its graduates.
    page.locator("[data-kpi='seasonal'] .value a").click()
    expect(page.locator("#list-title")).to_contain_text("musiman")
    seasonal = s.ok(http.get(f"{mon}/plans", headers=camat,
                             params={"business_status": "seasonal"}))["items"]
    assert [p["full_name"] for p in seasonal] == ["Dewi Lestari"]
    assert page.locator("#table-list tbody tr").all_inner_texts()[0].startswith("Dewi Lestari")
    assert page.locator("#table-list tbody tr").count() == len(seasonal)
    page.go_back()
    page.wait_for_selector("#overview:not([hidden])")

    # Follow Pondok Labu's overdue count to its list, and export it.
    page.locator(f"#table-load [data-testid='terlambat:{s.PONDOK_LABU}']").click()
    page.wait_for_selector("#list:not([hidden]) #table-list tbody tr")
    listed = page.locator("#table-list tbody tr").all_inner_texts()
    expected = [w for w in work if w["kelurahan_code"] == s.PONDOK_LABU]
    assert len(listed) == len(expected) == shown[s.PONDOK_LABU][0]
    assert {w["full_name"] for w in expected} == {"Ratna Sari", "Wati Handayani"}
    assert all(any(w["full_name"] in line for w in expected) for line in listed)
    page.screenshot(path=screenshots / "2-camat-daftar-terlambat.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh CSV").click()
    download = download_info.value
    assert download.suggested_filename == "daftar-kerja.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert sorted(r["full_name"] for r in rows) == sorted(w["full_name"] for w in expected)
    page.get_by_role("link", name="Kembali ke ringkasan").click()
    page.wait_for_selector("#overview:not([hidden])")

    # Narrow the page to Cilandak Barat.
    page.get_by_label("Wilayah").select_option(s.BARAT)
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#kpi-area")).to_contain_text("Cilandak Barat")
    assert set(count_cells(page)) == {s.BARAT}
    barat = next(r for r in s.ok(http.get(f"{mon}/indicators", headers=camat, params={
        "group_by": "kelurahan"}))["rows"] if r["key"] == s.BARAT)
    assert kpi(page, "graduates") == str(barat["graduates"]) == "3"
    page.screenshot(path=screenshots / "3-camat-filter-cilandak-barat.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)  # Chart.js resizes on the next frame
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], \
        "the page is wider than a phone"
    page.screenshot(path=screenshots / "4-camat-ponsel.png", full_page=True)
    page.set_viewport_size(LAPTOP)

    # A lurah of Pondok Labu: none of Cilandak Barat's people, anywhere on the page.
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, mon, s.token("kelurahan_officer", s.PONDOK_LABU, "lurah.pondok-labu"))
    assert set(count_cells(page)) == {s.PONDOK_LABU}
    assert kpi(page, "graduates") == "2"
    assert [o for o in page.locator("#f-area option").all_inner_texts()] == [
        "Kelurahan Pondok Labu"]
    # From the keyboard alone: Tab to the overdue count, Enter opens its list.
    wanted = f"terlambat:{s.PONDOK_LABU}"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.testid") == wanted:
            break
    else:
        pytest.fail("the overdue count cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    page.wait_for_selector("#list:not([hidden]) #table-list tbody tr")
    text = page.locator("body").inner_text()
    assert "Ratna Sari" in text or "Wati Handayani" in text
    for name in s.FIRST_KELURAHAN_PEOPLE:
        assert name not in text
    page.screenshot(path=screenshots / "5-lurah-pondok-labu.png", full_page=True)
    forbidden = page.evaluate("""async (area) => (await fetch('/dashboard/data?area=' + area,
        {headers: {Authorization: 'Bearer ' + sessionStorage.getItem('berdaya.dashboard.token')}})).status""",
                              s.BARAT)
    assert forbidden == 403


def test_a_bad_token_is_refused_in_bahasa(told, live, page, screenshots: Path) -> None:
    page.goto(f"{live.urls['monitoring']}/dashboard")
    page.get_by_label("Token akses (bearer)").fill("bukan-token")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Masuk"
    page.keyboard.press("Enter")  # the form works from the keyboard
    message = page.get_by_role("alert")
    message.wait_for()
    assert "token" in message.inner_text().lower() and "masuk" in message.inner_text().lower()
    assert page.locator("#dashboard").is_hidden()
    page.screenshot(path=screenshots / "6-token-ditolak.png")
