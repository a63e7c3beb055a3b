"""Sales reports for officers of an area: per seller, kelurahan or month; JSON or CSV (the
same rows; the CSV like monitoring's indicator export)."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from berdaya_shared.api.csvexport import csv_response
from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import reports
from ...service_layer.reports import SalesGroup
from ..deps import Reader

router = APIRouter(prefix="/reports", tags=["reports"])
CSV_COLUMNS = ["key", "label", "kelurahan_code", "sales", "quantity", "amount", "sellers"]


class SalesReportRow(BaseModel):
    key: str
    label: str
    kelurahan_code: str | None
    sales: int
    quantity: int
    amount: int
    sellers: int


class SalesReport(BaseModel):
    group_by: SalesGroup
    area: str
    date_from: date | None
    date_to: date | None
    rows: list[SalesReportRow]
    total_sales: int
    total_quantity: int
    total_amount: int


@router.get("/sales", response_model=SalesReport)
def sales(principal: Reader, sessions: SessionsDep, group_by: SalesGroup = SalesGroup.SELLER,
          date_from: Annotated[date | None, Query(alias="from")] = None,
          date_to: Annotated[date | None, Query(alias="to")] = None,
          format: Literal["json", "csv"] = "json") -> SalesReport | Response:
    """Sales (fulfilled orders and bazaar sales) of the caller's area: count, items and rupiah
    per seller, kelurahan or month, between ``from`` and ``to`` (inclusive, Jakarta dates)."""
    with transaction(sessions) as session:
        rows = reports.sales_report(session=session, principal=principal, group_by=group_by,
                                    date_from=date_from, date_to=date_to)
    if format == "csv":
        return csv_response(CSV_COLUMNS, ([asdict(r)[c] for c in CSV_COLUMNS] for r in rows),
                            filename=f"penjualan-{group_by}.csv")
    return SalesReport(group_by=group_by, area=principal.area, date_from=date_from,
                       date_to=date_to, rows=[SalesReportRow(**asdict(r)) for r in rows],
                       total_sales=sum(r.sales for r in rows),
                       total_quantity=sum(r.quantity for r in rows),
                       total_amount=sum(r.amount for r in rows))
