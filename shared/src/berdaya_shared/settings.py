"""Settings common to every service, read from the environment (pydantic-settings).

Each service subclasses ``ServiceSettings`` with its own env prefix (``REGISTRATION_`` ...), so
``REGISTRATION_DATABASE_URL`` and ``TRAINING_DATABASE_URL`` can point at different stores.
``KAFKA_BOOTSTRAP_SERVERS`` is shared by all services and read without a prefix, and so is
``KAFKA_TOPIC_PREFIX``: put before every topic and consumer group name, so several Berdaya
stacks (a staging copy, a test run) can share one broker without reading each other's events.
Empty by default; every service of one stack must use the same.
"""

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "berdaya-dev-secret-not-for-production"  # noqa: S105 - refused outside dev/test
DEV_ENVIRONMENTS = {"dev", "test"}


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = "service"
    environment: str = Field(default="dev", validation_alias=AliasChoices("environment", "BERDAYA_ENV"))
    database_url: str = ""  # default filled in per service: sqlite:///var/<service>.db
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("kafka_bootstrap_servers", "KAFKA_BOOTSTRAP_SERVERS"),
    )
    kafka_topic_prefix: str = Field(
        default="", max_length=60, pattern=r"^[A-Za-z0-9._-]*$",
        validation_alias=AliasChoices("kafka_topic_prefix", "KAFKA_TOPIC_PREFIX"),
    )
    jwt_secret: str = Field(
        default=DEV_JWT_SECRET, validation_alias=AliasChoices("jwt_secret", "BERDAYA_JWT_SECRET")
    )
    jwt_audience: str = "berdaya"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    # Browser origins of the city portals allowed to call this API (CORS); none by default.
    # From the environment as JSON, e.g. TRAINING_CORS_ORIGINS=["https://portal.jakarta.go.id"].
    cors_origins: list[str] = []
    # Roles without the api (consumer, relay, jobs) serve /metrics here when set.
    metrics_port: int | None = None
    # Outbox relay
    relay_batch_size: int = 500
    relay_poll_interval_s: float = 0.2
    outbox_retention_days: float = 7.0  # published rows older than this are deleted
    # Consumer runner
    consumer_max_attempts: int = 5
    consumer_backoff_s: float = 0.2
    consumer_batch_size: int = 200
    inbox_retention_days: float = 30.0  # keep well above the topics' retention (7 days)
    # Relay and consumer: how often an idle process checks that it reaches Kafka
    # (the berdaya_kafka_connected gauge); publishes and polls update it as they happen.
    kafka_probe_interval_s: float = 10.0

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> "ServiceSettings":
        if self.environment not in DEV_ENVIRONMENTS and self.jwt_secret == DEV_JWT_SECRET:
            raise ValueError(
                f"BERDAYA_JWT_SECRET must be set outside dev/test (environment={self.environment})"
            )
        if not self.database_url:
            self.database_url = f"sqlite:///var/{self.service_name}.db"
        return self

    @property
    def source(self) -> str:
        """CloudEvents ``source`` of everything this service publishes."""
        return f"berdaya/{self.service_name}"
