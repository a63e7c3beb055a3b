"""Engines, sessions and the per-service table registry.

Each service declares its tables on its own ``registry`` (``new_registry()``), never on
SQLModel's global metadata, so the four services' tables never meet in one MetaData even
when one test process imports several services. SQLite gets WAL and a busy timeout so the
API, the consumer and the relay of one service can share a file.
"""

import types
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry, sessionmaker
from sqlmodel import Session, SQLModel, create_engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_registry() -> registry:
    return registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def new_base() -> type[SQLModel]:
    """A SQLModel base class with its own registry: one per service (see module docstring)."""
    return types.new_class("Base", (SQLModel,), {"registry": new_registry()})


def new_id() -> str:
    return str(uuid.uuid4())


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = str(url_or_engine.url) if isinstance(url_or_engine, Engine) else url_or_engine
    return url.startswith("sqlite")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    if is_sqlite(url):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin_immediate(conn):  # type: ignore[no-untyped-def]
            # Take the write lock at BEGIN: avoids SQLITE_BUSY upgrades between processes.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        # Let SQLAlchemy not emit its own BEGIN: pysqlite's implicit transactions are off.
        @event.listens_for(engine, "connect", insert=True)
        def _sqlite_autocommit_off(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None

        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception."""
    with factory() as session, session.begin():
        yield session


def ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
