"""The four services as real processes on Kafka and PostgreSQL, and Debian's chromium driven
by Playwright (``deploy/browser/install.sh`` installs it; Playwright never downloads one).

Ports 28001-28004 (``BROWSER_TEST_PORT_BASE`` moves them), away from `make run` and the e2e
stack. Monitoring's visits fall due 30, 120 and 246 days after graduation and the overdue
check runs every second, so a story that graduated people eight months ago has overdue and
escalated visits within seconds. Screenshots go to ``.state/test-reports/screenshots/``
(kept by ``deploy/local/test.sh`` with the JUnit reports).

The story's numbers are checked exactly, so its monitoring must read a broker no other
Berdaya test has published to: ``make test`` runs this suite first, in its own process, on
the broker it has just reset (pointed at a shared broker, start from an empty one).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from berdaya_shared.testing.stack import RunningStack, services_running

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BERDAYA_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / ".state" / "test-reports" / "screenshots"
BASE = int(os.environ.get("BROWSER_TEST_PORT_BASE", "28000"))
SERVICES = {"registration": BASE + 1, "training": BASE + 2, "monitoring": BASE + 3,
            "marketplace": BASE + 4}
OFFSETS = "[30, 120, 246]"


@pytest.fixture(scope="module")  # stopped before the e2e stack starts (same consumer groups)
def live(kafka_bootstrap: str, postgres_admin_url: str,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with services_running(ports=SERVICES, kafka_bootstrap=kafka_bootstrap,
                          postgres_admin_url=postgres_admin_url,
                          logs=tmp_path_factory.mktemp("browser-logs"), timeout=180,
                          env={"MONITORING_VISIT_OFFSETS_DAYS": OFFSETS,
                               "MONITORING_OVERDUE_CHECK_INTERVAL_S": "1"}) as running:
        yield running


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
