"""pytest plugin (registered as ``berdaya``): a real Kafka broker and real databases.

Where each comes from, in order:
1. ``KAFKA_BOOTSTRAP_SERVERS`` / ``POSTGRES_ADMIN_URL``: existing servers (``make test`` starts
   them with the scripts under deploy/ and exports these).
2. A Docker engine that answers: testcontainers starts Kafka / PostgreSQL.
3. Otherwise the project's native scripts (``deploy/kafka/kafka.sh``, ``deploy/postgres/postgres.sh``).
Nothing is ever replaced by a mock or an in-memory fake.

``database_url`` runs a test once on SQLite and once on PostgreSQL, each on a fresh database.
"""

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

TEST_KAFKA_PORT, TEST_KAFKA_CONTROLLER_PORT, TEST_PG_PORT = "19092", "19093", "55433"


def _repo_root() -> Path:
    for path in [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]:
        if (path / "deploy" / "kafka" / "kafka.sh").exists():
            return path
    raise RuntimeError("cannot find the repository's deploy/ scripts")


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - no engine, no socket, no package: all mean "no"
        return False


def _running(script: str, env: dict[str, str]) -> bool:
    """True when the server the script manages for ``env`` (its port) is already running."""
    return subprocess.run([script, "status"], env={**os.environ, **env}, capture_output=True,
                          check=False, timeout=60).returncode == 0


def _script_value(args: list[str], key: str, env: dict[str, str]) -> str:
    out = subprocess.run(args, check=True, capture_output=True, text=True,
                         env={**os.environ, **env}, timeout=600).stdout
    for line in out.splitlines():
        if line.startswith(key + "="):
            return line.split("=", 1)[1]
    raise RuntimeError(f"{args[0]} did not print {key}")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as kafka:
            yield kafka.get_bootstrap_server()
        return
    script = str(_repo_root() / "deploy" / "kafka" / "kafka.sh")
    env = {"KAFKA_PORT": TEST_KAFKA_PORT, "KAFKA_CONTROLLER_PORT": TEST_KAFKA_CONTROLLER_PORT}
    ours = not _running(script, env)  # never stop a broker someone else started
    bootstrap = _script_value([script, "start"], "KAFKA_BOOTSTRAP_SERVERS", env)
    os.environ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap
    yield bootstrap
    if ours:
        subprocess.run([script, "stop"], env={**os.environ, **env}, check=False)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    if os.environ.get("POSTGRES_ADMIN_URL"):
        yield os.environ["POSTGRES_ADMIN_URL"]
        return
    if _docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver="psycopg") as pg:
            yield pg.get_connection_url()
        return
    script = str(_repo_root() / "deploy" / "postgres" / "postgres.sh")
    ours = not _running(script, {"PGPORT": TEST_PG_PORT})  # never stop someone else's server
    url = _script_value([script, "start"], "POSTGRES_ADMIN_URL", {"PGPORT": TEST_PG_PORT})
    os.environ["POSTGRES_ADMIN_URL"] = url
    yield url
    if ours:
        subprocess.run([script, "stop"], env={**os.environ, "PGPORT": TEST_PG_PORT}, check=False)


def create_database(admin_url: str) -> tuple[str, str]:
    """A fresh, empty PostgreSQL database; returns (url, name)."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_database(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A fresh database for the block (benchmarks), dropped afterwards; yields its URL."""
    url, name = create_database(admin_url)
    try:
        yield url
    finally:
        drop_database(admin_url, name)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    admin = request.getfixturevalue("postgres_admin_url")
    url, name = create_database(admin)
    yield url
    drop_database(admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
