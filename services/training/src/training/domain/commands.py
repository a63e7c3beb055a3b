"""What other services tell training to do, as plain data (consumers build these from events)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class RecordEnrolment:
    """Registration enrolled (or re-enrolled) a participant in a programme."""

    participant_id: str
    programme_id: str
    programme_code: str
    track: str | None
    full_name: str
    phone: str | None
    gender: str
    kelurahan_code: str
    kecamatan_code: str
    kota_code: str
    baseline_business: str | None
    baseline_monthly_income: int | None
    enrolled_at: datetime

