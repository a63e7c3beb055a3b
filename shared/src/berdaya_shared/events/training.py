"""Contracts owned by the training service (topic ``training.events``)."""

from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .envelope import EventPayload
from .registration import AreaCodes

_P = "0b7d3c1e-5f0a-4a7e-9d2b-1c3e5f7a9b0d"
_AREA = {"kelurahan_code": "31.74.06.1001", "kecamatan_code": "31.74.06", "kota_code": "31.74"}
_COHORT = "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b"
_PROGRAMME = "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b"


class MentorRef(BaseModel):
    """The mentor assigned to a graduate (OK OCE pendampingan), as training knows them."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    mentor_id: str
    name: str
    organisation: str | None = None


class CohortScheduled(EventPayload):
    """A cohort was scheduled: its programme, track, venue and dates (keyed by cohort id)."""

    TYPE: ClassVar[str] = "training.cohort_scheduled.v1"
    cohort_id: str
    programme_id: str
    track_code: str
    name: str
    venue_id: str
    venue_name: str
    venue_kelurahan_code: str
    capacity: int
    area_code: str
    starts_on: date
    ends_on: date
    scheduled_by: str
    scheduled_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "cohort_id": _COHORT, "programme_id": _PROGRAMME, "track_code": "tata-boga",
        "name": "UEP Tata Boga angkatan 1", "venue_id": "7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a",
        "venue_name": "Panti Sosial Bina Insan Bangun Daya 2",
        "venue_kelurahan_code": "31.75.10.1001", "capacity": 150, "area_code": "31.75",
        "starts_on": "2019-10-15", "ends_on": "2019-10-25", "scheduled_by": "admin-jaktim",
        "scheduled_at": "2019-10-01T09:00:00Z"}


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
    # Added with tracks (issue 7), all optional: the track, the rule's inputs, the mentor and
    # the starter kit to be issued.
    track_code: str | None = None
    attendance_share: float | None = None
    score: int | None = None
    mentor: MentorRef | None = None
    kit_type: str | None = None
    kit_items: list[str] | None = None
    EXAMPLE: ClassVar[dict[str, Any]] = {"participant_id": _P,
                               "cohort_id": _COHORT,
                               "programme_id": _PROGRAMME,
                               "programme_code": "UP2K-CILANDAK", "track": "tata-boga",
                               "full_name": "Siti Aminah", "phone": "+6281234567890",
                               "baseline_business": "warung kue",
                               "baseline_monthly_income": 1500000, "attendance_rate": 0.9,
                               "graduated_at": "2026-12-20T09:00:00Z", **_AREA,
                               "track_code": "tata-boga", "attendance_share": 0.9, "score": 78,
                               "mentor": {"mentor_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                                          "name": "Dewi Lestari", "organisation": "OK OCE"},
                               "kit_type": "alat masak set",
                               "kit_items": ["kompor gas 2 tungku", "wajan", "panci set"]}


class ParticipantNotGraduated(AreaCodes):
    """A member of a closed cohort did not meet the track's rule; ``reason`` is in Bahasa."""

    TYPE: ClassVar[str] = "training.participant_not_graduated.v1"
    participant_id: str
    cohort_id: str
    programme_id: str
    programme_code: str
    track_code: str | None = None
    attendance_share: float
    score: int | None = None
    reason: str
    decided_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "participant_id": _P, "cohort_id": _COHORT, "programme_id": _PROGRAMME,
        "programme_code": "UP2K-CILANDAK", "track_code": "tata-boga", "attendance_share": 0.5,
        "score": 55, "reason": "Kehadiran 50% di bawah batas minimal 75%; nilai 55 di bawah "
                               "nilai lulus 60.", "decided_at": "2026-12-20T09:00:00Z", **_AREA}


_MENTOR = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


class MentorAssigned(AreaCodes):
    """A mentor (OK OCE pendampingan) now accompanies a participant on a programme; a
    reassignment names the previous mentor. No mentor phone (keyed by participant id)."""

    TYPE: ClassVar[str] = "training.mentor_assigned.v1"
    participant_id: str
    programme_id: str
    mentor_id: str
    mentor_name: str
    mentor_organisation: str
    previous_mentor_id: str | None = None
    assigned_by: str
    assigned_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "participant_id": _P, "programme_id": "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
        "mentor_id": _MENTOR, "mentor_name": "Dewi Lestari", "mentor_organisation": "OK OCE",
        "previous_mentor_id": None, "assigned_by": "camat-cilandak",
        "assigned_at": "2026-12-21T09:00:00Z", **_AREA}


class KitItem(BaseModel):
    """One item of a starter kit; serial and asset numbers where the item has them."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    name: str
    quantity: int = 1
    serial_number: str | None = None
    asset_number: str | None = None


class StarterKitIssued(AreaCodes):
    """A graduate received their starter kit and acknowledged it (keyed by participant id);
    monitoring checks the kit is in use."""

    TYPE: ClassVar[str] = "training.starter_kit_issued.v1"
    kit_id: str
    participant_id: str
    programme_id: str
    kit_type: str
    items: list[KitItem]
    issued_at: datetime
    acknowledged_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "kit_id": "3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b", "participant_id": _P,
        "programme_id": "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b", "kit_type": "alat masak set",
        "items": [{"name": "kompor gas 2 tungku", "quantity": 1, "serial_number": "KG2-190045",
                   "asset_number": "JT-UEP-2019-0045"},
                  {"name": "wajan", "quantity": 2, "serial_number": None, "asset_number": None}],
        "issued_at": "2019-10-25T10:00:00Z", "acknowledged_at": "2019-10-25T10:05:00Z", **_AREA}


__all__ = ["CohortScheduled", "KitItem", "MentorAssigned", "MentorRef", "ParticipantGraduated",
           "ParticipantNotGraduated", "StarterKitIssued"]
