"""Build every dependency of the marketplace service from its settings (nothing at import time)."""

from pathlib import Path

from berdaya_shared.db import make_engine, session_factory
from berdaya_shared.events import topic_of
from berdaya_shared.events.marketplace import SellerProfileCreated
from berdaya_shared.inbox import ConsumerRunner
from berdaya_shared.outbox import OutboxRelay
from berdaya_shared.runtime import ServiceRuntime

from .adapters.tables import inbox, metadata, outbox
from .api.app import create_app
from .config import MarketplaceSettings
from .messaging import incoming

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: MarketplaceSettings) -> ServiceRuntime:
    engine = make_engine(settings.database_url)
    sessions = session_factory(engine)
    s = settings
    runtime = ServiceRuntime(
        settings=s, engine=engine, sessions=sessions, metadata=metadata, migrations=MIGRATIONS,
        create_app=lambda: create_app(runtime),
        relay=OutboxRelay(engine=engine, table=outbox, bootstrap=s.kafka_bootstrap_servers,
                          service=s.service_name, topics=[topic_of(SellerProfileCreated.TYPE)],
                          batch_size=s.relay_batch_size, poll_interval_s=s.relay_poll_interval_s,
                          lease_s=s.relay_lease_s),
        consumer=ConsumerRunner(name=f"{s.service_name}.consumer", topics=incoming.TOPICS,
                                handlers=incoming.handlers_for(s), sessions=sessions,
                                inbox=inbox, bootstrap=s.kafka_bootstrap_servers,
                                max_attempts=s.consumer_max_attempts,
                                backoff_s=s.consumer_backoff_s, batch_size=s.consumer_batch_size),
    )
    return runtime
