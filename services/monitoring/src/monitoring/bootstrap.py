"""Build every dependency of the monitoring service from its settings (nothing at import time)."""

from pathlib import Path

from berdaya_shared.events import topic_of
from berdaya_shared.events.monitoring import VisitScheduled
from berdaya_shared.runtime import ServiceRuntime, standard_runtime

from . import jobs
from .adapters.tables import inbox, metadata, outbox
from .api.app import create_app
from .config import MonitoringSettings
from .messaging import incoming

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: MonitoringSettings) -> ServiceRuntime:
    return standard_runtime(settings=settings, metadata=metadata, outbox=outbox, inbox=inbox,
                            migrations=MIGRATIONS, create_app=create_app,
                            publishes=[topic_of(VisitScheduled.TYPE)],
                            consumes=incoming.TOPICS, handlers=incoming.handlers_for(settings),
                            jobs=lambda runtime: jobs.all_jobs(runtime, settings))
