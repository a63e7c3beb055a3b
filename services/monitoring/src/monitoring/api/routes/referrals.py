from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlmodel import col, select

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...adapters.tables import Agency
from ...domain.referrals import ReferralStatus
from ...service_layer import referrals
from ..deps import Reader, SettingsDep, TodayDep, Visitor
from ..schemas import AgencyRead, ReferralClose, ReferralOpen, ReferralPage, ReferralRead, ReferralSend

router = APIRouter(tags=["referrals"])
ReferralId = Annotated[str, Path(max_length=36)]
AgencyClient = Annotated[Principal, Depends(require_roles("integration"))]


@router.get("/agencies", response_model=list[AgencyRead])
def list_agencies(principal: Reader, sessions: SessionsDep) -> list[AgencyRead]:
    with transaction(sessions) as session:
        return [AgencyRead.model_validate(a)
                for a in session.exec(select(Agency).order_by(col(Agency.code))).all()]


@router.get("/referrals", response_model=ReferralPage)
def list_referrals(principal: Reader, sessions: SessionsDep, status: ReferralStatus | None = None,
                   limit: LimitQuery = 100, cursor: CursorQuery = None) -> ReferralPage:
    """Officers: the referrals of their area; an agency's client: those sent to it."""
    with transaction(sessions) as session:
        rows, next_cursor = referrals.referrals(session=session, principal=principal,
                                                status=status, limit=limit, cursor=cursor)
        return ReferralPage(items=[ReferralRead.model_validate(r) for r in rows],
                            next_cursor=next_cursor)


@router.post("/referrals", response_model=ReferralRead, status_code=201)
def open_referral(body: ReferralOpen, principal: Visitor, sessions: SessionsDep,
                  settings: SettingsDep, today: TodayDep) -> ReferralRead:
    with transaction(sessions) as session:
        return ReferralRead.model_validate(referrals.open_referral(
            session=session, principal=principal, plan_id=body.plan_id, need=body.need,
            agency_code=body.agency_code, today=today, source=settings.source))


@router.post("/referrals/{referral_id}/send", response_model=ReferralRead)
def send_referral(referral_id: ReferralId, body: ReferralSend, principal: Visitor,
                  sessions: SessionsDep, settings: SettingsDep, today: TodayDep) -> ReferralRead:
    """Send a referral a visit suggested (to its routed agency, or to ``agency_code``)."""
    with transaction(sessions) as session:
        return ReferralRead.model_validate(referrals.send_suggested(
            session=session, principal=principal, referral_id=referral_id,
            agency_code=body.agency_code, today=today, source=settings.source))


@router.post("/referrals/{referral_id}/accept", response_model=ReferralRead)
def accept_referral(referral_id: ReferralId, principal: AgencyClient,
                    sessions: SessionsDep) -> ReferralRead:
    with transaction(sessions) as session:
        return ReferralRead.model_validate(referrals.accept(
            session=session, principal=principal, referral_id=referral_id))


@router.post("/referrals/{referral_id}/close", response_model=ReferralRead)
def close_referral(referral_id: ReferralId, body: ReferralClose, principal: AgencyClient,
                   sessions: SessionsDep, settings: SettingsDep) -> ReferralRead:
    with transaction(sessions) as session:
        return ReferralRead.model_validate(referrals.close(
            session=session, principal=principal, referral_id=referral_id,
            outcome=body.outcome, notes=body.notes, source=settings.source))
