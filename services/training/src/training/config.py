from pydantic_settings import SettingsConfigDict

from berdaya_shared.settings import ServiceSettings


class TrainingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TRAINING_", extra="ignore", populate_by_name=True)

    service_name: str = "training"
    http_port: int = 8002
    # Share of a cohort's sessions a participant must attend to graduate.
    min_attendance_rate: float = 0.75
