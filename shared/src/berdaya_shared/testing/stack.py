"""The four services as real processes (``python -m <service> all``) on Kafka and PostgreSQL,
for the cross-service tests, the browser test and the end-to-end benchmark: one way to start
them, wait for them and take them down again (databases dropped, logs kept)."""

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx

from . import wait_until
from .plugin import create_database, drop_database


@dataclass(frozen=True)
class RunningStack:
    urls: dict[str, str]       # service -> its HTTP base URL
    databases: dict[str, str]  # service -> its database URL
    logs: Path                 # one <service>.log each

    def log_text(self) -> str:
        return "".join((self.logs / f"{n}.log").read_text(errors="replace") for n in self.urls)


def ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def services_running(*, ports: Mapping[str, int], kafka_bootstrap: str, postgres_admin_url: str,
                     logs: Path, env: Mapping[str, str] | None = None,
                     timeout: float = 120) -> Iterator[RunningStack]:
    """Start each service (a fresh database, its HTTP port, ``env`` added to the environment),
    wait until every one answers /readyz, yield, then stop them (SIGTERM, SIGKILL after 30 s)
    and drop their databases."""
    logs.mkdir(parents=True, exist_ok=True)
    databases: dict[str, tuple[str, str]] = {}
    processes = []
    try:
        for name, port in ports.items():
            url, database = create_database(postgres_admin_url)
            databases[name] = (url, database)
            environment = {**os.environ, "BERDAYA_ENV": "test",
                           "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
                           f"{name.upper()}_DATABASE_URL": url,
                           f"{name.upper()}_HTTP_PORT": str(port), **(env or {})}
            log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
            processes.append((subprocess.Popen([sys.executable, "-m", name, "all"],
                                               env=environment, stdout=log,
                                               stderr=subprocess.STDOUT), log))
        stack = RunningStack(urls={n: f"http://127.0.0.1:{p}" for n, p in ports.items()},
                             databases={n: url for n, (url, _) in databases.items()}, logs=logs)
        for name, url in stack.urls.items():
            wait_until(partial(ready, url), timeout=timeout, what=f"{name} /readyz (logs: {logs})")
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
        for _, database in databases.values():
            drop_database(postgres_admin_url, database)
