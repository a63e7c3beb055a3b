"""Sales from marketplace (SaleRecorded): stored once per sale id; each of the seller's
follow-up plans then re-derives its business status (sales can show a seasonal business).

A plan is locked ``FOR UPDATE`` before it is re-derived, as visit recording does, so a sale
and a visit of one graduate at once change the status one after the other."""

from datetime import date

from sqlmodel import Session, col, select

from berdaya_shared.db import conflict_on_duplicate, get_for_update

from ..adapters.tables import FollowUpPlan, Sale
from . import status


def add_sale(*, session: Session, sale_id: str, participant_id: str, seller_id: str,
             amount: int, quantity: int, sold_on: date, channel: str, kelurahan_code: str,
             source: str) -> Sale:
    existing = session.get(Sale, sale_id)
    if existing is not None:
        return existing
    row = Sale(sale_id=sale_id, participant_id=participant_id, seller_id=seller_id,
               amount=amount, quantity=quantity, sold_on=sold_on, channel=channel,
               kelurahan_code=kelurahan_code)
    with conflict_on_duplicate(session, field="sale_id", detail="Penjualan ini sudah tercatat.",
                               en="This sale is already recorded."):
        session.add(row)
    plan_ids = session.exec(select(FollowUpPlan.id).where(
        FollowUpPlan.participant_id == participant_id).order_by(col(FollowUpPlan.id))).all()
    for plan_id in plan_ids:
        plan = get_for_update(session, FollowUpPlan, plan_id)
        if plan is not None:
            status.refresh(session=session, plan=plan, visit=None, source=source)
    return row
