"""Sales reports: SQL aggregates over the ``sale`` table (fulfilled orders and bazaar sales),
per seller, per kelurahan or per month, in the caller's area and an optional period."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import extract, func, select
from sqlmodel import Session, col

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.errors import InvalidInput
from berdaya_shared.gazetteer import Gazetteer

from ..adapters.tables import Sale, SellerProfile


class SalesGroup(StrEnum):
    SELLER = "seller"
    KELURAHAN = "kelurahan"
    MONTH = "month"


@dataclass(frozen=True)
class SalesRow:
    key: str  # a seller id, a kelurahan code or a month (YYYY-MM)
    label: str  # the shop's (or the seller's) name, the kelurahan's name, the month
    kelurahan_code: str | None  # of a seller or a kelurahan row
    sales: int
    quantity: int
    amount: int  # whole rupiah
    sellers: int


def _rows(session: Session, statement: Any) -> Any:
    return session.connection().execute(statement).all()


def _month(column: Any) -> Any:
    return extract("year", column) * 100 + extract("month", column)


def sales_report(*, session: Session, principal: Principal, group_by: SalesGroup,
                 date_from: date | None, date_to: date | None) -> list[SalesRow]:
    """One row per group with sales in the caller's area, biggest amount first for sellers and
    kelurahan, in calendar order for months."""
    if date_from and date_to and date_to < date_from:
        raise InvalidInput("Tanggal akhir sebelum tanggal awal.",
                           en="The end date is before the start date.", field="to")
    where: list[Any] = [in_area(Sale.kelurahan_code, principal.area)]
    if date_from:
        where.append(col(Sale.sold_on) >= date_from)
    if date_to:
        where.append(col(Sale.sold_on) <= date_to)
    totals: list[Any] = [func.count(), func.coalesce(func.sum(Sale.quantity), 0),
                         func.coalesce(func.sum(Sale.amount), 0),
                         func.count(func.distinct(Sale.seller_id))]
    if group_by == SalesGroup.SELLER:
        seller_rows = _rows(session, select(
            col(Sale.seller_id), col(SellerProfile.shop_name), col(SellerProfile.display_name),
            col(SellerProfile.kelurahan_code), *totals)
            .join(SellerProfile, col(SellerProfile.id) == col(Sale.seller_id)).where(*where)
            .group_by(col(Sale.seller_id), col(SellerProfile.shop_name),
                      col(SellerProfile.display_name), col(SellerProfile.kelurahan_code))
            .order_by(totals[2].desc(), col(Sale.seller_id)))
        return [SalesRow(key=sid, label=shop or name, kelurahan_code=kel, sales=int(n),
                         quantity=int(q), amount=int(a), sellers=int(s))
                for sid, shop, name, kel, n, q, a, s in seller_rows]
    if group_by == SalesGroup.KELURAHAN:
        gazetteer = Gazetteer.load()
        area_rows = _rows(session, select(col(Sale.kelurahan_code), *totals).where(*where)
            .group_by(col(Sale.kelurahan_code))
            .order_by(totals[2].desc(), col(Sale.kelurahan_code)))
        return [SalesRow(key=code, label=(area.name if (area := gazetteer.get(code)) else code),
                         kelurahan_code=code, sales=int(n), quantity=int(q), amount=int(a),
                         sellers=int(s)) for code, n, q, a, s in area_rows]
    month = _month(col(Sale.sold_on))
    month_rows = _rows(session, select(month, *totals).where(*where).group_by(month)
                       .order_by(month))
    rows = []
    for yyyymm, n, q, a, s in month_rows:
        label = f"{int(yyyymm) // 100:04d}-{int(yyyymm) % 100:02d}"
        rows.append(SalesRow(key=label, label=label, kelurahan_code=None, sales=int(n),
                             quantity=int(q), amount=int(a), sellers=int(s)))
    return rows
