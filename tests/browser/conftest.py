"""The four services as real processes on Kafka and PostgreSQL, and Debian's chromium driven
by Playwright (``deploy/browser/install.sh`` installs it; Playwright never downloads one).

Ports 28001-28004 (``BROWSER_TEST_PORT_BASE`` moves them), away from `make run` and the e2e
stack. Monitoring's visits fall due 30, 120 and 246 days after graduation and the overdue
check runs every second, so a story that graduated people eight months ago has overdue and
escalated visits within seconds. Screenshots go to ``.state/test-reports/screenshots/``
(kept by ``deploy/local/test.sh`` with the JUnit reports).
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from berdaya_shared.testing import wait_until
from berdaya_shared.testing.plugin import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BERDAYA_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / ".state" / "test-reports" / "screenshots"
BASE = int(os.environ.get("BROWSER_TEST_PORT_BASE", "28000"))
SERVICES = {"registration": BASE + 1, "training": BASE + 2, "monitoring": BASE + 3,
            "marketplace": BASE + 4}
OFFSETS = "[30, 120, 246]"


class Stack:
    def __init__(self) -> None:
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in SERVICES.items()}


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")  # stopped before the e2e stack starts (same consumer groups)
def live(kafka_bootstrap: str, postgres_admin_url: str,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp("browser-logs")
    databases, processes = [], []
    for name, port in SERVICES.items():
        url, db = create_database(postgres_admin_url)
        databases.append(db)
        env = {**os.environ, "BERDAYA_ENV": "test", "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
               f"{name.upper()}_DATABASE_URL": url, f"{name.upper()}_HTTP_PORT": str(port),
               "MONITORING_VISIT_OFFSETS_DAYS": OFFSETS,
               "MONITORING_OVERDUE_CHECK_INTERVAL_S": "1"}
        log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed below
        processes.append((subprocess.Popen([sys.executable, "-m", name, "all"], env=env,
                                           stdout=log, stderr=subprocess.STDOUT), log))
    try:
        stack = Stack()
        for name, url in stack.urls.items():
            wait_until(lambda url=url: _ready(url), timeout=180, what=f"{name} /readyz")
        yield stack
    finally:
        for process, _ in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
        for db in databases:
            drop_database(postgres_admin_url, db)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run deploy/browser/install.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS
