"""Referrals, closed loop: suggested by a visit's needs, sent to an agency by an officer,
accepted and closed with an outcome by that agency (its integration client), flagged when
open past the agency's agreed days.

Locking: every move reads the referral ``FOR UPDATE`` before checking its status, so an
agency closing a referral while an officer re-sends it makes one decision after the other.
An agency acts only on referrals sent to it (403 naming ``agency_code`` otherwise); an
officer only on referrals of their area (404)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.db import get_for_update, skip_locked
from berdaya_shared.errors import Forbidden, InvalidInput, NotFound
from berdaya_shared.pagination import after, next_cursor

from ..adapters.tables import Agency, FollowUpPlan, Referral, ReferralRoute
from ..domain.referrals import ANY_BUSINESS, Outcome, ReferralStatus, check_move, check_need
from ..domain.report import Need
from ..messaging import outgoing

NEEDS: tuple[str, ...] = tuple(Need)
UNCLOSED = (ReferralStatus.SUGGESTED, ReferralStatus.OPEN, ReferralStatus.ACCEPTED)


def _agency(session: Session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        raise InvalidInput(f"Instansi '{code}' tidak dikenal.", en=f"Unknown agency '{code}'.",
                           field="agency_code")
    return agency


def route(*, session: Session, need: str, business_type: str | None) -> Agency:
    """The agency a need goes to: the business type's own route, else the general one."""
    rows = session.exec(select(ReferralRoute).where(
        ReferralRoute.need == need,
        col(ReferralRoute.business_type).in_([business_type or ANY_BUSINESS, ANY_BUSINESS]))
    ).all()
    chosen = sorted(rows, key=lambda r: r.business_type == ANY_BUSINESS)
    if not chosen:
        raise InvalidInput(f"Belum ada instansi untuk kebutuhan '{need}'.",
                           en=f"No agency takes the need '{need}' yet.", field="need")
    return _agency(session, chosen[0].agency_code)


def suggest_from_visit(*, session: Session, plan: FollowUpPlan, visit_id: str,
                       needs: tuple[str, ...]) -> list[Referral]:
    """One suggested referral per need seen, unless one for that need is still unclosed."""
    made = []
    for need in needs:
        unclosed = session.exec(select(Referral.id).where(
            Referral.plan_id == plan.id, Referral.need == need,
            col(Referral.status).in_(UNCLOSED))).first()
        if unclosed is not None:
            continue
        agency = route(session=session, need=need, business_type=plan.track_code)
        row = Referral(plan_id=plan.id, participant_id=plan.participant_id,
                       kelurahan_code=plan.kelurahan_code, visit_id=visit_id, need=need,
                       agency_code=agency.code, status=ReferralStatus.SUGGESTED,
                       created_at=datetime.now(UTC))
        session.add(row)
        made.append(row)
    return made


def _send(session: Session, principal: Principal, plan: FollowUpPlan, row: Referral,
          agency: Agency, *, today: date, source: str) -> Referral:
    row.agency_code, row.status = agency.code, ReferralStatus.OPEN
    row.opened_by, row.opened_at = principal.subject, datetime.now(UTC)
    row.due_on = today + timedelta(days=agency.agreed_days)
    session.add(row)
    session.flush()
    outgoing.referral_opened(session, plan, row, source=source)
    return row


def open_referral(*, session: Session, principal: Principal, plan_id: str, need: str,
                  agency_code: str | None, today: date, source: str) -> Referral:
    plan = session.get(FollowUpPlan, plan_id)
    if plan is None or not principal.covers(plan.kelurahan_code):
        raise NotFound("Rencana tindak lanjut ini tidak ada di wilayah Anda.",
                       en="No such follow-up plan in your area.", field="plan_id")
    check_need(need, NEEDS)
    agency = (_agency(session, agency_code) if agency_code
              else route(session=session, need=need, business_type=plan.track_code))
    row = Referral(plan_id=plan.id, participant_id=plan.participant_id,
                   kelurahan_code=plan.kelurahan_code, need=need, agency_code=agency.code,
                   status=ReferralStatus.SUGGESTED, created_at=datetime.now(UTC))
    return _send(session, principal, plan, row, agency, today=today, source=source)


def _locked(session: Session, referral_id: str) -> tuple[Referral, FollowUpPlan]:
    row = get_for_update(session, Referral, referral_id)
    plan = session.get(FollowUpPlan, row.plan_id) if row is not None else None
    if row is None or plan is None:
        raise NotFound("Rujukan ini tidak ada.", en="No such referral.", field="referral_id")
    return row, plan


def send_suggested(*, session: Session, principal: Principal, referral_id: str,
                   agency_code: str | None, today: date, source: str) -> Referral:
    row, plan = _locked(session, referral_id)
    if not principal.covers(plan.kelurahan_code):
        raise NotFound("Rujukan ini tidak ada di wilayah Anda.",
                       en="No such referral in your area.", field="referral_id")
    check_move(row.status, to=ReferralStatus.OPEN)
    agency = _agency(session, agency_code or row.agency_code)
    return _send(session, principal, plan, row, agency, today=today, source=source)


def _as_agency(session: Session, principal: Principal, row: Referral) -> None:
    agency = session.exec(select(Agency).where(
        Agency.client_subject == principal.subject)).first()
    if agency is None or agency.code != row.agency_code:
        raise Forbidden("Rujukan ini tidak dikirim ke instansi Anda.",
                        en="This referral was not sent to your agency.", field="agency_code")


def accept(*, session: Session, principal: Principal, referral_id: str) -> Referral:
    row, _ = _locked(session, referral_id)
    _as_agency(session, principal, row)
    check_move(row.status, to=ReferralStatus.ACCEPTED)
    row.status, row.accepted_at = ReferralStatus.ACCEPTED, datetime.now(UTC)
    session.add(row)
    return row


def close(*, session: Session, principal: Principal, referral_id: str, outcome: Outcome,
          notes: str, source: str) -> Referral:
    row, plan = _locked(session, referral_id)
    _as_agency(session, principal, row)
    check_move(row.status, to=ReferralStatus.CLOSED)
    row.status, row.outcome, row.outcome_notes = ReferralStatus.CLOSED, outcome, notes or None
    row.closed_by, row.closed_at = principal.subject, datetime.now(UTC)
    session.add(row)
    session.flush()
    outgoing.referral_closed(session, plan, row, source=source)
    return row


def referrals(*, session: Session, principal: Principal, status: str | None, limit: int,
              cursor: str | None) -> tuple[list[Referral], str | None]:
    """Officers: the referrals of their area. An agency's client: those sent to it."""
    filters: list[Any] = [after([Referral.id], cursor)]
    if principal.has("integration") and not principal.has("city_admin", "kecamatan_officer",
                                                           "kelurahan_officer", "field_officer"):
        agency = session.exec(select(Agency).where(
            Agency.client_subject == principal.subject)).first()
        filters.append(Referral.agency_code == (agency.code if agency else ""))
        filters.append(Referral.status != ReferralStatus.SUGGESTED)  # not sent yet
    else:
        filters.append(in_area(Referral.kelurahan_code, principal.area))
    if status:
        filters.append(Referral.status == status)
    rows = list(session.exec(select(Referral).where(*filters).order_by(col(Referral.id))
                             .limit(limit)).all())
    return rows, next_cursor(rows, ["id"], limit)


def flag_overdue(*, session: Session, today: date, limit: int = 500) -> int:
    """Open or accepted referrals past their agreed days, flagged once."""
    query = (select(Referral).where(col(Referral.status).in_(
        [ReferralStatus.OPEN, ReferralStatus.ACCEPTED]), col(Referral.due_on) < today,
        col(Referral.overdue_flagged_at).is_(None)).order_by(col(Referral.id)).limit(limit))
    query = skip_locked(session.get_bind(), query)
    rows = session.exec(query).all()
    now = datetime.now(UTC)
    for row in rows:
        row.overdue_flagged_at = now
        session.add(row)
    return len(rows)
