"""Build every dependency of the registration service from its settings (nothing at import time)."""

from pathlib import Path

from berdaya_shared.db import make_engine, session_factory
from berdaya_shared.events import topic_of
from berdaya_shared.events.registration import ParticipantRegistered
from berdaya_shared.outbox import OutboxRelay
from berdaya_shared.runtime import ServiceRuntime

from .adapters.tables import metadata, outbox
from .api.app import create_app
from .config import RegistrationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: RegistrationSettings) -> ServiceRuntime:
    """Registration consumes no events (it is the source of people), so it has no consumer."""
    engine = make_engine(settings.database_url)
    s = settings
    runtime = ServiceRuntime(
        settings=s, engine=engine, sessions=session_factory(engine), metadata=metadata,
        migrations=MIGRATIONS, create_app=lambda: create_app(runtime),
        relay=OutboxRelay(engine=engine, table=outbox, bootstrap=s.kafka_bootstrap_servers,
                          service=s.service_name, topics=[topic_of(ParticipantRegistered.TYPE)],
                          batch_size=s.relay_batch_size, poll_interval_s=s.relay_poll_interval_s,
                          lease_s=s.relay_lease_s),
    )
    return runtime
