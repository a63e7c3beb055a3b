"""A tiny service used by the backbone tests: an outbox, an inbox and a non-idempotent effect.

The effect adds each event's ``amount`` to one ``tally`` row. Applying an event twice makes the
total wrong, so the tests count effects, not messages. Run as a process so tests can SIGKILL it:
``python -m tests.integration.ledger relay|consumer`` with LEDGER_DB, LEDGER_TOPIC and
KAFKA_BOOTSTRAP_SERVERS in the environment. ``build`` wires it as a service
(``standard_runtime``), so ``python -m tests.integration.ledger dlq ...`` is the shared command
line (LEDGER_DATABASE_URL, LEDGER_SERVICE_NAME, LEDGER_TOPIC).
"""

import asyncio
import os
import sys
from pathlib import Path
from typing import ClassVar

from pydantic_settings import SettingsConfigDict
from sqlalchemy import Column, Integer, MetaData, Table, update
from sqlalchemy.orm import Session

from berdaya_shared import cli
from berdaya_shared.api.app import create_service_app
from berdaya_shared.db import make_engine, session_factory
from berdaya_shared.events import Envelope, EventPayload
from berdaya_shared.inbox import ConsumerRunner, define_inbox
from berdaya_shared.logging import configure_logging
from berdaya_shared.outbox import OutboxRelay, define_outbox
from berdaya_shared.runtime import ServiceRuntime, standard_runtime, stop_on_signals
from berdaya_shared.settings import ServiceSettings

metadata = MetaData()
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)
tally = Table("tally", metadata, Column("id", Integer, primary_key=True),
              Column("total", Integer, nullable=False), Column("applied", Integer, nullable=False))


def payload_class(prefix: str) -> type[EventPayload]:
    class AmountAdded(EventPayload):
        TYPE: ClassVar[str] = f"{prefix}.amount_added.v1"
        amount: int
        poison: bool = False
    return AmountAdded


def add_amount(session: Session, envelope: Envelope) -> None:
    if envelope.data.get("poison"):
        raise ValueError("this payload cannot be handled")
    session.execute(update(tally).where(tally.c.id == 1).values(
        total=tally.c.total + envelope.data["amount"], applied=tally.c.applied + 1))


def create_schema(url: str) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(tally.insert().values(id=1, total=0, applied=0))
    engine.dispose()


class _PacedRelay(OutboxRelay):
    """Pauses between batches so a test can kill it while rows are still pending."""

    pause_s = 0.0

    async def _deliver(self, producer, rows):  # type: ignore[no-untyped-def]
        delivery = await super()._deliver(producer, rows)
        await asyncio.sleep(self.pause_s)
        return delivery


def relay(url: str, bootstrap: str, topic: str, *, pause_s: float = 0.0, **kw: float) -> OutboxRelay:
    relay = _PacedRelay(engine=make_engine(url), table=outbox, bootstrap=bootstrap,
                       service="ledger", topics=[topic], **kw)  # type: ignore[arg-type]
    relay.pause_s = pause_s
    return relay


class _CrashAfterCommit(ConsumerRunner):
    """Dies (SIGKILL-like, no cleanup) after its first database commit, before committing the
    offsets: the crash window the inbox exists for."""

    async def commit_pending(self, only=None) -> None:  # type: ignore[no-untyped-def]
        if self._pending:
            os._exit(3)
        await super().commit_pending(only)


def consumer(url: str, bootstrap: str, topic: str, prefix: str, *, crash_after_commit: bool = False,
             **kw: float) -> ConsumerRunner:
    runner = _CrashAfterCommit if crash_after_commit else ConsumerRunner
    return runner(name=f"{prefix}.ledger", topics=[topic],
                          handlers={payload_class(prefix).TYPE: add_amount},
                          sessions=session_factory(make_engine(url)), inbox=inbox,
                          bootstrap=bootstrap, **kw)  # type: ignore[arg-type]


class LedgerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LEDGER_", extra="ignore", populate_by_name=True)


def build(settings: ServiceSettings, topic: str | None = None) -> ServiceRuntime:
    """The ledger as a service: relay on ``topic``, consumer group ``<service_name>.consumer``."""
    topic = topic or os.environ["LEDGER_TOPIC"]
    return standard_runtime(
        settings=settings, metadata=metadata, outbox=outbox, migrations=Path(__file__).parent,
        create_app=lambda rt: create_service_app(settings=settings, engine=rt.engine, routers=[]),
        publishes=[topic], inbox=inbox, consumes=[topic],
        handlers={payload_class(topic.removesuffix(".events")).TYPE: add_amount})


if __name__ == "__main__" and sys.argv[1] == "dlq":
    cli.main(settings_cls=LedgerSettings, build=build, argv=sys.argv[1:])
elif __name__ == "__main__":
    configure_logging("ledger", "WARNING")
    url, bootstrap, topic = (os.environ["LEDGER_DB"], os.environ["KAFKA_BOOTSTRAP_SERVERS"],
                             os.environ["LEDGER_TOPIC"])
    prefix = topic.removesuffix(".events")
    role = (relay(url, bootstrap, topic, batch_size=50, max_batch_size=50, pause_s=0.05)
            if sys.argv[1] == "relay" else consumer(url, bootstrap, topic, prefix, batch_size=50,
                                                    crash_after_commit=sys.argv[1] == "crashing-consumer"))

    async def main() -> None:
        stop_on_signals(role.stop)
        await role.run()

    asyncio.run(main())
