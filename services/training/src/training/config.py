from pydantic import Field
from pydantic_settings import SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class TrainingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TRAINING_", extra="ignore", populate_by_name=True)

    service_name: str = "training"
    http_port: int = 8002
    # Participants one mentor accompanies at most, unless the mentor's own cap says otherwise.
    mentor_max_caseload: int = Field(default=25, ge=1, le=1000)
