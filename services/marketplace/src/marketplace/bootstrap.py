"""Build every dependency of the marketplace service from its settings (nothing at import time)."""

from pathlib import Path

from berdaya_shared.events import topic_of
from berdaya_shared.events.marketplace import SellerProfileCreated
from berdaya_shared.events.notifications import NotificationRequested
from berdaya_shared.runtime import ServiceRuntime, standard_runtime

from .adapters.tables import inbox, metadata, outbox
from .api.app import create_app
from .config import MarketplaceSettings
from .messaging import incoming

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build(settings: MarketplaceSettings) -> ServiceRuntime:
    return standard_runtime(settings=settings, metadata=metadata, outbox=outbox, inbox=inbox,
                            migrations=MIGRATIONS, create_app=create_app,
                            publishes=[topic_of(SellerProfileCreated.TYPE),
                                       topic_of(NotificationRequested.TYPE)],
                            consumes=incoming.TOPICS, handlers=incoming.handlers_for(settings))
