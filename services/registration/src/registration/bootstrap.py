"""Build every dependency of the registration service from its settings (nothing at import time).

Registration consumes no events (it is where people come from), so it has no consumer. Its
``jobs`` role processes uploaded imports (jobs.py).
"""

from pathlib import Path

from berdaya_shared.events import topic_of
from berdaya_shared.events.registration import ParticipantRegistered
from berdaya_shared.runtime import PeriodicJob, ServiceRuntime, standard_runtime

from . import jobs
from .adapters.tables import metadata, outbox
from .api.app import create_app
from .config import ImportSettings, RegistrationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: RegistrationSettings, *, imports: ImportSettings | None = None) -> ServiceRuntime:
    """``imports`` replaces ``settings.imports`` (the import limits and chunking, read from
    ``REGISTRATION_IMPORT_*``): tests use it for small chunks."""
    if imports is not None:
        settings = settings.model_copy(update={"imports": imports})

    def periodic(runtime: ServiceRuntime) -> list[PeriodicJob]:
        return [jobs.imports(runtime, settings, settings.imports)]

    return standard_runtime(settings=settings, metadata=metadata, outbox=outbox,
                            migrations=MIGRATIONS, create_app=create_app,
                            publishes=[topic_of(ParticipantRegistered.TYPE)], jobs=periodic)
