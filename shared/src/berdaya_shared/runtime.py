"""What a service's ``bootstrap.build()`` returns, and how each role of a service runs.

Roles are separate processes in production (``api``, ``consumer``, ``relay``, ``jobs``) from
one image; ``all`` runs every role in one process for local use. ``migrate`` applies the
service's alembic migrations and is run before the others start.
"""

import asyncio
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from prometheus_client import start_http_server
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from .inbox import ConsumerRunner, Handler
from .logging import get_logger
from .outbox import OutboxRelay
from .settings import ServiceSettings

log = get_logger(__name__)


@dataclass
class PeriodicJob:
    name: str
    interval_s: float
    run: Callable[[], Awaitable[None]]


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    metadata: MetaData
    migrations: Path
    create_app: Callable[[], FastAPI]
    relay: OutboxRelay
    consumer: ConsumerRunner | None = None
    jobs: list[PeriodicJob] = field(default_factory=list)


class _Server(uvicorn.Server):
    """Uvicorn without its own signal capture: the role runner owns SIGINT/SIGTERM."""

    def capture_signals(self):  # type: ignore[no-untyped-def]
        import contextlib
        return contextlib.nullcontext()


async def _run_jobs(jobs: list[PeriodicJob], stop: asyncio.Event) -> None:
    async def loop(job: PeriodicJob) -> None:
        while not stop.is_set():
            try:
                await job.run()
            except Exception:  # noqa: BLE001 - a failed run is logged and retried next tick
                log.exception("job.failed", job=job.name)
            try:
                await asyncio.wait_for(stop.wait(), job.interval_s)
            except TimeoutError:
                pass
    await asyncio.gather(*(loop(j) for j in jobs))


def stop_on_signals(stop: Callable[[], None]) -> None:
    """SIGINT/SIGTERM call ``stop``: roles finish what they hold (a message, a batch) and exit."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)


async def run_roles(runtime: ServiceRuntime, roles: set[str]) -> None:
    stop = asyncio.Event()
    server: _Server | None = None
    tasks: list[Awaitable[None]] = []
    if "api" in roles:
        s = runtime.settings
        server = _Server(uvicorn.Config(runtime.create_app(), host=s.http_host, port=s.http_port,
                                        log_config=None, access_log=False))
        tasks.append(server.serve())
    if "consumer" in roles and runtime.consumer is not None:
        tasks.append(runtime.consumer.run())
    if "relay" in roles:
        tasks.append(runtime.relay.run())
    if "jobs" in roles and runtime.jobs:
        tasks.append(_run_jobs(runtime.jobs, stop))
    if "api" not in roles and runtime.settings.metrics_port:
        # The api serves /metrics itself; a consumer, relay or jobs process has no HTTP server.
        start_http_server(runtime.settings.metrics_port, addr=runtime.settings.http_host)

    def shutdown() -> None:
        log.info("service.stopping", roles=sorted(roles))
        stop.set()
        if server is not None:
            server.should_exit = True
        if runtime.consumer is not None:
            runtime.consumer.stop()
        runtime.relay.stop()

    stop_on_signals(shutdown)
    log.info("service.started", roles=sorted(roles))
    await asyncio.gather(*tasks)


def standard_runtime(*, settings: ServiceSettings, metadata: MetaData, outbox: Table,
                     migrations: Path, create_app: Callable[["ServiceRuntime"], FastAPI],
                     publishes: list[str], inbox: Table | None = None,
                     consumes: list[str] | None = None,
                     handlers: dict[str, Handler] | None = None,
                     jobs: Callable[["ServiceRuntime"], list[PeriodicJob]] | None = None
                     ) -> ServiceRuntime:
    """Wire a service the same way everywhere: engine, sessions, relay, consumer, jobs.

    ``publishes`` are the topics the relay creates; ``consumes``/``handlers`` set up the
    consumer runner (group ``<service>.consumer``); ``jobs`` builds periodic jobs. Topics and
    the group get ``KAFKA_TOPIC_PREFIX`` in front (``settings.py``).
    """
    from .db import make_engine, session_factory

    s = settings
    engine = make_engine(s.database_url)
    sessions = session_factory(engine)
    consumer, prefix = None, s.kafka_topic_prefix
    if consumes and handlers is not None and inbox is not None:
        consumer = ConsumerRunner(name=f"{prefix}{s.service_name}.consumer", service=s.service_name,
                                  topics=[prefix + topic for topic in consumes],
                                  handlers=handlers, sessions=sessions, inbox=inbox,
                                  bootstrap=s.kafka_bootstrap_servers,
                                  max_attempts=s.consumer_max_attempts,
                                  backoff_s=s.consumer_backoff_s, batch_size=s.consumer_batch_size,
                                  retention=timedelta(days=s.inbox_retention_days),
                                  kafka_probe_every_s=s.kafka_probe_interval_s)
    runtime = ServiceRuntime(
        settings=s, engine=engine, sessions=sessions, metadata=metadata, migrations=migrations,
        create_app=lambda: create_app(runtime),
        relay=OutboxRelay(engine=engine, table=outbox, bootstrap=s.kafka_bootstrap_servers,
                          service=s.service_name, topics=publishes, topic_prefix=prefix,
                          batch_size=s.relay_batch_size, poll_interval_s=s.relay_poll_interval_s,
                          retention=timedelta(days=s.outbox_retention_days),
                          kafka_probe_every_s=s.kafka_probe_interval_s),
        consumer=consumer)
    if jobs is not None:
        runtime.jobs = jobs(runtime)
    return runtime
