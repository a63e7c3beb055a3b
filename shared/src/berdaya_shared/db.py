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
from typing import Any, TypeVar

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import registry, sessionmaker
from sqlalchemy.sql.selectable import GenerativeSelect
from sqlmodel import Session, SQLModel, create_engine

from .errors import Conflict

T = TypeVar("T")
Q = TypeVar("Q", bound=GenerativeSelect)

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


def is_sqlite(url_or_engine: str | Engine | Connection) -> bool:
    url = url_or_engine if isinstance(url_or_engine, str) else str(url_or_engine.engine.url)
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


def get_for_update(session: Session, model: type[T], ident: Any) -> T | None:
    """Read a row a decision will be made on (a status check, a counter), locked until the
    transaction ends and refreshed from the store.

    Every "read, check the status, act" path uses this instead of ``session.get``: on
    PostgreSQL the row is taken ``FOR UPDATE``, so a second request for the same row waits
    for the first to commit and then sees the status the first one wrote (``populate_existing``
    throws away any stale copy in the session). SQLite serialises writers already
    (``BEGIN IMMEDIATE``), so there it is a plain refreshed read.
    """
    locking = not is_sqlite(session.get_bind())
    return session.get(model, ident, with_for_update=locking, populate_existing=True)


def skip_locked(bind: Engine | Connection, query: Q, *of: Any) -> Q:
    """Claim rows that several workers share (outbox rows, imports, due visits): on PostgreSQL
    ``FOR UPDATE SKIP LOCKED`` (of the tables in ``of``, else all), so a row another worker
    holds is passed over instead of waited for or taken twice; SQLite serialises writers
    already (``BEGIN IMMEDIATE``), so there the query is unchanged."""
    if is_sqlite(bind):
        return query
    return query.with_for_update(skip_locked=True, of=list(of) or None)


@contextmanager
def conflict_on_duplicate(session: Session, *, field: str, detail: str,
                          en: str | None = None) -> Iterator[None]:
    """Turn a unique-constraint violation inside the block into a 409 naming ``field``.

    Check-then-insert paths keep their friendly check, and wrap the insert in this: when two
    requests pass the check at once, the database's unique constraint stops the second, and
    the caller gets the same 409 instead of a 500. The block runs in a savepoint, so the
    outer transaction stays usable.
    """
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        raise Conflict(detail, en=en, field=field) from exc
