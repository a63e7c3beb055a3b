from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class ImportSettings(BaseSettings):
    """The background import (environment prefix ``REGISTRATION_IMPORT_``).

    * ``MAX_BYTES`` (50 MiB): a larger upload is a 413 naming ``file``.
    * ``MAX_ROWS`` (200,000): more data rows is a 413 naming ``file`` (counted at upload: the
      CSV's lines, the workbook's sheet dimension; the jobs role stops a file that turns out
      longer).
    * ``CHUNK_ROWS`` (1000): rows per transaction; a resumed import carries on after the last
      committed chunk.
    * ``LEASE_S`` (60): a jobs process holds an import this long past its last committed chunk;
      after that another one resumes it (the first crashed).
    * ``POLL_INTERVAL_S`` (0.5) and ``SLICE_S`` (5): how often the jobs role looks for work, and
      how long one run works before it yields (so a stop signal is honoured within a slice).
    """

    model_config = SettingsConfigDict(env_prefix="REGISTRATION_IMPORT_", extra="ignore")

    max_bytes: int = Field(default=50 * 2**20, ge=1)
    max_rows: int = Field(default=200_000, ge=1)
    chunk_rows: int = Field(default=1000, ge=1, le=10_000)
    lease_s: float = Field(default=60.0, gt=0)
    poll_interval_s: float = Field(default=0.5, gt=0)
    slice_s: float = Field(default=5.0, gt=0)


class RegistrationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRATION_", extra="ignore",
                                      populate_by_name=True)

    service_name: str = "registration"
    http_port: int = 8001
    # Rapidfuzz score (0-100) from which two people with the same birth date and kelurahan
    # are flagged as possible duplicates for an officer's review.
    duplicate_threshold: float = 88.0
    # Background import: limits and chunking, from REGISTRATION_IMPORT_* (see ImportSettings).
    imports: ImportSettings = Field(default_factory=ImportSettings)
