"""Build every dependency of the monitoring service from its settings (nothing at import time)."""

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from berdaya_shared.clock import today_in_jakarta
from berdaya_shared.events import topic_of
from berdaya_shared.events.monitoring import VisitScheduled
from berdaya_shared.events.notifications import NotificationRequested
from berdaya_shared.runtime import ServiceRuntime, standard_runtime

from . import jobs
from .adapters.tables import inbox, metadata, outbox
from .api.app import create_app
from .config import MonitoringSettings
from .messaging import incoming

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: MonitoringSettings, *,
          today: Callable[[], date] = today_in_jakarta) -> ServiceRuntime:
    """``today`` is the service's clock (Jakarta dates): tests pass a fixed or moving one."""
    return standard_runtime(settings=settings, metadata=metadata, outbox=outbox, inbox=inbox,
                            migrations=MIGRATIONS, create_app=partial(create_app, today=today),
                            publishes=[topic_of(VisitScheduled.TYPE),
                                       topic_of(NotificationRequested.TYPE)],
                            consumes=incoming.TOPICS, handlers=incoming.handlers_for(settings),
                            jobs=lambda runtime: jobs.all_jobs(runtime, settings, today=today))
