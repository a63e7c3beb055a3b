"""The four services as real processes on Kafka and PostgreSQL, and Debian's chromium driven
by Playwright (``deploy/browser/install.sh`` installs it; Playwright never downloads one).

Ports 28001-28004 (``BROWSER_TEST_PORT_BASE`` moves them), away from `make run` and the e2e
stack. Monitoring's visits fall due 30, 120 and 246 days after graduation and the overdue
check runs every second, so a story that graduated people eight months ago has overdue and
escalated visits within seconds. Screenshots go to ``.state/test-reports/screenshots/``
(kept by ``deploy/local/test.sh`` with the JUnit reports).

The story's numbers are checked exactly, so its stack has topics and consumer groups of its
own (``KAFKA_TOPIC_PREFIX``, fresh for each run): on any broker, however much other Berdaya
stacks have published, its monitoring reads only the story. ``make test`` runs this suite in
its own process, last: Playwright's sync API holds an event loop on the main thread that the
other cross-service tests (``asyncio.run``) must not share.
"""

import os
import shutil
import uuid
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
TOPIC_PREFIX = f"browser-{uuid.uuid4().hex[:8]}."  # this run's topics and consumer groups


@pytest.fixture(scope="module")
def live(kafka_bootstrap: str, postgres_admin_url: str,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with services_running(ports=SERVICES, kafka_bootstrap=kafka_bootstrap,
                          postgres_admin_url=postgres_admin_url,
                          logs=tmp_path_factory.mktemp("browser-logs"), timeout=180,
                          env={"MONITORING_VISIT_OFFSETS_DAYS": OFFSETS,
                               "MONITORING_OVERDUE_CHECK_INTERVAL_S": "1",
                               "KAFKA_TOPIC_PREFIX": TOPIC_PREFIX}) as running:
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
