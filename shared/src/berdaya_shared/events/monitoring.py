"""Contracts owned by the monitoring service (topic ``monitoring.events``)."""

from datetime import date, datetime
from typing import Any, ClassVar

from .registration import AreaCodes

_P = "0b7d3c1e-5f0a-4a7e-9d2b-1c3e5f7a9b0d"
_V = "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910"
_PLAN = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
_AREA = {"kelurahan_code": "31.74.06.1001", "kecamatan_code": "31.74.06", "kota_code": "31.74"}


class VisitScheduled(AreaCodes):
    TYPE: ClassVar[str] = "monitoring.visit_scheduled.v1"
    visit_id: str
    plan_id: str
    participant_id: str
    sequence: int
    due_on: date
    EXAMPLE: ClassVar[dict[str, Any]] = {"visit_id": _V, "plan_id": _PLAN, "participant_id": _P,
                               "sequence": 1, "due_on": "2027-01-20", **_AREA}


class VisitRecorded(AreaCodes):
    """A field officer recorded a follow-up visit. ``monthly_income`` is the monthly net income
    (also in ``monthly_net_income``); the income change is against the registration baseline
    (null when there is none). Channels: home, online, bazaar, orders; kit state: in_use,
    idle, sold, broken, lost; needs: licence, capital, marketing, skills."""

    TYPE: ClassVar[str] = "monitoring.visit_recorded.v1"
    visit_id: str
    plan_id: str
    participant_id: str
    business_status: str
    monthly_income: int | None = None
    visited_on: date
    recorded_by: str
    # The visit report (issue 8), all optional.
    monthly_net_income: int | None = None
    monthly_revenue: int | None = None
    production_days_per_week: int | None = None
    main_products: list[str] | None = None
    channels: list[str] | None = None
    kit_state: str | None = None
    needs: list[str] | None = None
    income_baseline: int | None = None
    income_change_amount: int | None = None
    income_change_pct: float | None = None
    EXAMPLE: ClassVar[dict[str, Any]] = {"visit_id": _V, "plan_id": _PLAN, "participant_id": _P,
                               "business_status": "producing_daily", "monthly_income": 2500000,
                               "visited_on": "2027-01-18", "recorded_by": "officer-17", **_AREA,
                               "monthly_net_income": 2500000, "monthly_revenue": 6000000,
                               "production_days_per_week": 6,
                               "main_products": ["kue lapis", "risoles"],
                               "channels": ["home", "orders"], "kit_state": "in_use",
                               "needs": ["licence"], "income_baseline": 1500000,
                               "income_change_amount": 1000000, "income_change_pct": 66.7}


class VisitOverdue(AreaCodes):
    TYPE: ClassVar[str] = "monitoring.visit_overdue.v1"
    visit_id: str
    plan_id: str
    participant_id: str
    due_on: date
    detected_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {"visit_id": _V, "plan_id": _PLAN, "participant_id": _P,
                               "due_on": "2027-01-20", "detected_at": "2027-01-21T00:00:00Z",
                               **_AREA}


class BusinessStatusChanged(AreaCodes):
    """A graduate's business status, derived from the visits, changed: ``active_daily``,
    ``active_weekly``, ``seasonal`` (produces only before Lebaran or Natal) or ``stopped``;
    ``old_status`` is null the first time. ``reason`` is in Bahasa. Marketplace pauses a
    seller on ``stopped`` and resumes on the others (keyed by participant id)."""

    TYPE: ClassVar[str] = "monitoring.business_status_changed.v1"
    participant_id: str
    programme_id: str
    plan_id: str
    old_status: str | None = None
    new_status: str
    reason: str
    visit_id: str | None = None
    changed_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "participant_id": _P, "programme_id": "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b",
        "plan_id": _PLAN, "old_status": "active_weekly", "new_status": "seasonal",
        "reason": "Produksi rata-rata 6.0 hari/minggu menjelang Lebaran/Natal, 0.5 hari/minggu "
                  "di luar musim itu.", "visit_id": _V, "changed_at": "2027-03-01T03:00:00Z",
        **_AREA}


class EscalationRaised(AreaCodes):
    """A scheduled visit is ``days_overdue`` days late and reached a level of the escalation
    ladder (e.g. 1: the lurah after 7 days, 2: the camat after 14): ``role`` over
    ``area_code`` now sees it. Closed (no event) when the visit is recorded or reassigned."""

    TYPE: ClassVar[str] = "monitoring.escalation_raised.v1"
    escalation_id: str
    visit_id: str
    plan_id: str
    participant_id: str
    level: int
    role: str
    area_code: str
    due_on: date
    days_overdue: int
    raised_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "escalation_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "visit_id": _V,
        "plan_id": _PLAN, "participant_id": _P, "level": 2, "role": "kecamatan_officer",
        "area_code": "31.74.06", "due_on": "2027-01-20", "days_overdue": 14,
        "raised_at": "2027-02-03T00:00:00Z", **_AREA}


_REF = "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"


class ReferralOpened(AreaCodes):
    """A graduate was referred to an agency for a need (licence, capital, marketing,
    skills); the agency has until ``due_on`` to act. Keyed by participant id."""

    TYPE: ClassVar[str] = "monitoring.referral_opened.v1"
    referral_id: str
    plan_id: str
    participant_id: str
    programme_id: str
    need: str
    agency_code: str
    visit_id: str | None = None
    opened_by: str
    opened_at: datetime
    due_on: date
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "referral_id": _REF, "plan_id": _PLAN, "participant_id": _P,
        "programme_id": "5a1f0c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b", "need": "licence",
        "agency_code": "ptsp", "visit_id": _V, "opened_by": "officer-17",
        "opened_at": "2027-01-18T03:00:00Z", "due_on": "2027-02-08", **_AREA}


class ReferralClosed(AreaCodes):
    """The agency closed a referral with an outcome: licence_issued, loan_granted,
    training_given (positive), declined or unreachable."""

    TYPE: ClassVar[str] = "monitoring.referral_closed.v1"
    referral_id: str
    plan_id: str
    participant_id: str
    need: str
    agency_code: str
    outcome: str
    closed_by: str
    closed_at: datetime
    EXAMPLE: ClassVar[dict[str, Any]] = {
        "referral_id": _REF, "plan_id": _PLAN, "participant_id": _P, "need": "licence",
        "agency_code": "ptsp", "outcome": "licence_issued", "closed_by": "agency-ptsp",
        "closed_at": "2027-02-01T03:00:00Z", **_AREA}


__all__ = ["VisitScheduled", "VisitRecorded", "VisitOverdue", "BusinessStatusChanged",
           "EscalationRaised", "ReferralOpened", "ReferralClosed"]
