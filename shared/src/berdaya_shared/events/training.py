"""Contracts owned by the training service (topic ``training.events``)."""

from datetime import datetime
from typing import Any, ClassVar

from .registration import AreaCodes

_P = "0b7d3c1e-5f0a-4a7e-9d2b-1c3e5f7a9b0d"
_AREA = {"kelurahan_code": "31.74.06.1001", "kecamatan_code": "31.74.06", "kota_code": "31.74"}


class ParticipantGraduated(AreaCodes):
    TYPE: ClassVar[str] = "training.participant_graduated.v1"
    participant_id: str
    cohort_id: str
    programme_id: str
    programme_code: str
    track: str | None = None
    full_name: str
    phone: str | None = None
    baseline_business: str | None = None
    baseline_monthly_income: int | None = None
    attendance_rate: float
    graduated_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"participant_id": _P,
                               "cohort_id": "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b",
                               "programme_id": "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
                               "programme_code": "UP2K-CILANDAK", "track": "tata-boga",
                               "full_name": "Siti Aminah", "phone": "+6281234567890",
                               "baseline_business": "warung kue",
                               "baseline_monthly_income": 1500000, "attendance_rate": 0.9,
                               "graduated_at": "2026-12-20T09:00:00Z", **_AREA}


__all__ = ["ParticipantGraduated"]
