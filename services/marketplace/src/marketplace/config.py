from pydantic_settings import SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class MarketplaceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_", extra="ignore",
                                      populate_by_name=True)

    service_name: str = "marketplace"
    http_port: int = 8004
