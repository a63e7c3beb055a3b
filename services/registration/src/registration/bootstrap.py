"""Build every dependency of the registration service from its settings (nothing at import time).

Registration consumes no events (it is where people come from), so it has no consumer.
"""

from pathlib import Path

from berdaya_shared.events import topic_of
from berdaya_shared.events.registration import ParticipantRegistered
from berdaya_shared.runtime import ServiceRuntime, standard_runtime

from .adapters.tables import metadata, outbox
from .api.app import create_app
from .config import RegistrationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: RegistrationSettings) -> ServiceRuntime:
    return standard_runtime(settings=settings, metadata=metadata, outbox=outbox,
                            migrations=MIGRATIONS, create_app=create_app,
                            publishes=[topic_of(ParticipantRegistered.TYPE)])
