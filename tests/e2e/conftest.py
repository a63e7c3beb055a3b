"""The four services as real processes (``python -m <service> all``) on Kafka and PostgreSQL.

Each service gets a fresh PostgreSQL database and its own port (18001-18004, away from
`make run`). Monitoring schedules its first visit a day before graduation and checks every
second, so an overdue visit shows up within the test.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from berdaya_shared.testing import wait_until
from berdaya_shared.testing.plugin import create_database, drop_database

SERVICES = {"registration": 18001, "training": 18002, "monitoring": 18003, "marketplace": 18004}


class Stack:
    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in SERVICES.items()}

    def log_text(self) -> str:
        return "".join((self.logs / f"{n}.log").read_text(errors="replace") for n in SERVICES)


@pytest.fixture(scope="session")
def stack(kafka_bootstrap: str, postgres_admin_url: str, tmp_path_factory) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp("e2e-logs")
    databases, processes = [], []
    for name, port in SERVICES.items():
        url, db = create_database(postgres_admin_url)
        databases.append(db)
        env = {**os.environ, "BERDAYA_ENV": "test", "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
               f"{name.upper()}_DATABASE_URL": url, f"{name.upper()}_HTTP_PORT": str(port),
               "MONITORING_VISIT_OFFSETS_DAYS": "[-1, 30]",
               "MONITORING_OVERDUE_CHECK_INTERVAL_S": "1"}
        log = open(logs / f"{name}.log", "w")
        processes.append((subprocess.Popen([sys.executable, "-m", name, "all"], env=env,
                                           stdout=log, stderr=subprocess.STDOUT), log))
    stack = Stack(logs)
    try:
        for name, url in stack.urls.items():
            wait_until(lambda url=url: _ready(url), timeout=120, what=f"{name} /readyz")
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


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
