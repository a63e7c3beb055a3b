"""Contracts owned by the registration service (topic ``registration.events``).

No NIK and no KK number ever travels in an event: consumers get the participant id, the area
codes they scope by, and only the personal data they need to do their job.
"""

from datetime import datetime
from typing import Any, ClassVar

from .envelope import EventPayload

_P = "0b7d3c1e-5f0a-4a7e-9d2b-1c3e5f7a9b0d"
_PROG = "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b"
_APP = "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b"
_AREA = {"kelurahan_code": "31.74.06.1001", "kecamatan_code": "31.74.06", "kota_code": "31.74"}


def area_codes(kelurahan_code: str) -> dict[str, str]:
    """Kemendagri kelurahan code "31.74.06.1001" -> its kelurahan, kecamatan and kota codes."""
    parts = kelurahan_code.split(".")
    return {"kelurahan_code": kelurahan_code, "kecamatan_code": ".".join(parts[:3]),
            "kota_code": ".".join(parts[:2])}


class AreaCodes(EventPayload):
    """Where the participant lives; consumers scope their officers' views by these codes."""

    kelurahan_code: str
    kecamatan_code: str
    kota_code: str


class ParticipantRegistered(AreaCodes):
    TYPE: ClassVar[str] = "registration.participant_registered.v1"
    participant_id: str
    gender: str
    birth_year: int
    dtks_listed: bool
    pkk_cadre: bool
    registered_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"participant_id": _P, "gender": "F", "birth_year": 1984,
                               "dtks_listed": False, "pkk_cadre": True,
                               "registered_at": "2026-11-23T09:00:00Z", **_AREA}


class ParticipantUpdated(AreaCodes):
    TYPE: ClassVar[str] = "registration.participant_updated.v1"
    participant_id: str
    changed_fields: list[str]
    full_name: str
    phone: str | None = None
    updated_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"participant_id": _P, "changed_fields": ["phone"],
                               "full_name": "Siti Aminah", "phone": "+6281234567890",
                               "updated_at": "2026-11-23T09:00:00Z", **_AREA}


class ApplicationSubmitted(AreaCodes):
    TYPE: ClassVar[str] = "registration.application_submitted.v1"
    application_id: str
    participant_id: str
    programme_id: str
    programme_code: str
    track: str | None = None
    submitted_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"application_id": _APP, "participant_id": _P,
                               "programme_id": _PROG, "programme_code": "UP2K-CILANDAK",
                               "track": "tata-boga", "submitted_at": "2026-11-23T09:00:00Z",
                               **_AREA}


class ParticipantEnrolled(AreaCodes):
    TYPE: ClassVar[str] = "registration.participant_enrolled.v1"
    application_id: str
    participant_id: str
    programme_id: str
    programme_code: str
    programme_name: str
    track: str | None = None
    full_name: str
    phone: str | None = None
    gender: str
    baseline_business: str | None = None
    baseline_monthly_income: int | None = None
    enrolled_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"application_id": _APP, "participant_id": _P,
                               "programme_id": _PROG, "programme_code": "UP2K-CILANDAK",
                               "programme_name": "UP2K Kecamatan Cilandak", "track": "tata-boga",
                               "full_name": "Siti Aminah", "phone": "+6281234567890",
                               "gender": "F", "baseline_business": "warung kue",
                               "baseline_monthly_income": 1500000,
                               "enrolled_at": "2026-11-23T09:00:00Z", **_AREA}


class ParticipantWaitlisted(AreaCodes):
    TYPE: ClassVar[str] = "registration.participant_waitlisted.v1"
    application_id: str
    participant_id: str
    programme_id: str
    position: int
    waitlisted_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"application_id": _APP, "participant_id": _P,
                               "programme_id": _PROG, "position": 1,
                               "waitlisted_at": "2026-11-23T09:00:00Z", **_AREA}


class ApplicationRejected(AreaCodes):
    TYPE: ClassVar[str] = "registration.application_rejected.v1"
    application_id: str
    participant_id: str
    programme_id: str
    reasons: list[str]
    rejected_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"application_id": _APP, "participant_id": _P,
                               "programme_id": _PROG,
                               "reasons": ["Rumah tangga tidak terdaftar di DTKS"],
                               "rejected_at": "2026-11-23T09:00:00Z", **_AREA}


class EnrolmentWithdrawn(AreaCodes):
    TYPE: ClassVar[str] = "registration.enrolment_withdrawn.v1"
    application_id: str
    participant_id: str
    programme_id: str
    reason: str
    withdrawn_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"application_id": _APP, "participant_id": _P,
                               "programme_id": _PROG, "reason": "moved out of Jakarta",
                               "withdrawn_at": "2026-11-23T09:00:00Z", **_AREA}


__all__ = ["ParticipantRegistered", "ParticipantUpdated", "ApplicationSubmitted",
           "ParticipantEnrolled", "ParticipantWaitlisted", "ApplicationRejected",
           "EnrolmentWithdrawn", "AreaCodes", "area_codes"]
