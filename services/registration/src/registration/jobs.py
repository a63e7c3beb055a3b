"""Periodic jobs, run by the ``jobs`` role (``python -m registration jobs``; ``all`` runs it too)."""

import asyncio

from berdaya_shared.gazetteer import Gazetteer
from berdaya_shared.logging import get_logger
from berdaya_shared.runtime import PeriodicJob, ServiceRuntime

from .config import ImportSettings, RegistrationSettings
from .service_layer.import_runs import ImportWorker

log = get_logger(__name__)


def imports(runtime: ServiceRuntime, settings: RegistrationSettings,
            limits: ImportSettings) -> PeriodicJob:
    """Process uploaded imports: each run works for up to ``REGISTRATION_IMPORT_SLICE_S``."""
    worker = ImportWorker(sessions=runtime.sessions, gazetteer=Gazetteer.load(), settings=limits,
                          threshold=settings.duplicate_threshold, source=settings.source)

    async def run() -> None:
        rows = await asyncio.to_thread(worker.run_once)
        if rows:
            log.info("imports.progress", rows=rows, worker=worker.worker_id)

    return PeriodicJob(name="imports", interval_s=limits.poll_interval_s, run=run)
