from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from berdaya_shared.api.csvexport import csv_stream
from berdaya_shared.api.deps import CursorQuery, LimitQuery, SessionsDep
from berdaya_shared.db import transaction
from berdaya_shared.pagination import every_page

from ...service_layer import queries
from ...service_layer.queries import WorkItem, WorkListFilter
from ..deps import TodayDep, Visitor
from ..schemas import WorkItemRead, WorkListPage

router = APIRouter(tags=["work lists"])
Filter = Annotated[str | None, Query(max_length=100)]
EXPORT_PAGE = 500


def _read(item: WorkItem) -> WorkItemRead:
    v, p = item.visit, item.plan
    return WorkItemRead(visit_id=v.id, plan_id=p.id, participant_id=p.participant_id,
                        full_name=p.full_name, phone=p.phone, kelurahan_code=p.kelurahan_code,
                        kecamatan_code=p.kecamatan_code, programme_id=p.programme_id,
                        programme_code=p.programme_code, sequence=v.sequence, due_on=v.due_on,
                        days_overdue=item.days_overdue, escalation_level=item.escalation_level,
                        assigned_to=v.assigned_to,
                        overdue_flagged_at=v.overdue_flagged_at)


@router.get("/work-list", response_model=WorkListPage)
def work_list(principal: Visitor, sessions: SessionsDep, today: TodayDep,
              kelurahan_code: Annotated[str | None, Query(max_length=13)] = None,
              programme_id: Annotated[str | None, Query(max_length=36)] = None,
              assigned_to: Filter = None, escalated_only: bool = False,
              overdue_only: bool = False, limit: LimitQuery = 100, cursor: CursorQuery = None,
              format: Literal["json", "csv"] = "json") -> WorkListPage | StreamingResponse:
    """A field officer: their visits due this week and overdue. A lurah, camat or admin: the
    overdue visits of their area. ``overdue_only`` keeps the overdue ones (what a field
    officer's overdue count counts). ``format=csv`` exports every matching row (no paging)."""
    filters = WorkListFilter(kelurahan_code=kelurahan_code, programme_id=programme_id,
                             assigned_to=assigned_to, escalated_only=escalated_only,
                             overdue_only=overdue_only)
    if format == "csv":
        def page(after: str | None) -> tuple[list[WorkItem], str | None]:
            with transaction(sessions) as session:
                return queries.work_list(session=session, principal=principal, today=today,
                                         filters=filters, limit=EXPORT_PAGE, cursor=after)

        return csv_stream(queries.CSV_COLUMNS,
                          ([queries.csv_row(i) for i in items] for items in every_page(page)),
                          filename="daftar-kerja.csv")
    with transaction(sessions) as session:
        items, next_cursor = queries.work_list(session=session, principal=principal, today=today,
                                               filters=filters, limit=limit, cursor=cursor)
        return WorkListPage(items=[_read(i) for i in items], next_cursor=next_cursor)
