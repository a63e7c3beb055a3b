from pydantic_settings import SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class MarketplaceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_", extra="ignore",
                                      populate_by_name=True)

    service_name: str = "marketplace"
    http_port: int = 8004
    # The public order endpoint's limit per client address (a token bucket held in the store,
    # so every replica shares it): a burst of orders at once, refilled at so many a minute.
    public_orders_burst: int = 5
    public_orders_per_minute: float = 5.0
