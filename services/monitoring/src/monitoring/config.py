from pydantic import field_validator
from pydantic_settings import SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_", extra="ignore", populate_by_name=True)

    service_name: str = "monitoring"
    http_port: int = 8003
    # Days after graduation each follow-up visit is due, in visit order. Demos and tests may
    # start with a negative offset (e.g. [-1, 30]) so the first visit is already overdue.
    visit_offsets_days: list[int] = [30, 90, 180, 365]
    # How often the "overdue-visits" job looks for visits past their due date.
    overdue_check_interval_s: float = 60
    # Field officers are reminded of a visit this many days before it is due (once).
    reminder_days_before: int = 2

    @field_validator("visit_offsets_days")
    @classmethod
    def _increasing(cls, offsets: list[int]) -> list[int]:
        if not offsets or any(b <= a for a, b in zip(offsets, offsets[1:], strict=False)):
            raise ValueError("visit_offsets_days must be a non-empty, strictly increasing list")
        return offsets
