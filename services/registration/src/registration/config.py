from pydantic_settings import SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class RegistrationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRATION_", extra="ignore",
                                      populate_by_name=True)

    service_name: str = "registration"
    http_port: int = 8001
    # Rapidfuzz score (0-100) from which two people with the same birth date and kelurahan
    # are flagged as possible duplicates for an officer's review.
    duplicate_threshold: float = 88.0
    # Rows per transaction in bulk import (each row is atomic on its own through a savepoint).
    import_chunk_rows: int = 500
