from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from berdaya_shared.api.csvexport import csv_response
from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import indicators
from ..deps import Admin, Reader, TodayDep
from ..schemas import IndicatorRow, Indicators, TargetRead, TargetWrite

router = APIRouter(tags=["indicators"])
CSV_COLUMNS = [name for name in IndicatorRow.model_fields if name != "target"] + [
    "target_min", "target_max", "target_expected_to_date", "target_gap_to_expected"]


@router.get("/indicators", response_model=Indicators)
def get_indicators(principal: Reader, sessions: SessionsDep, today: TodayDep,
                   group_by: Literal["kota", "kecamatan", "kelurahan", "track", "cohort"]
                   = "kecamatan",
                   programme_id: Annotated[str | None, Query(max_length=36)] = None,
                   format: Literal["json", "csv"] = "json") -> Indicators | Response:
    """Outcome indicators of the caller's area per group, with the area's target (for kota,
    kecamatan and kelurahan groups) and the pace expected by today."""
    with transaction(sessions) as session:
        rows = [IndicatorRow.model_validate(r) for r in indicators.indicators(
            session=session, principal=principal, group_by=group_by, programme_id=programme_id,
            today=today)]
    if format == "json":
        return Indicators(group_by=group_by, programme_id=programme_id, as_of=today, rows=rows)
    return csv_response(CSV_COLUMNS, (
        [*row.model_dump(exclude={"target"}).values(),
         *((row.target.new_entrepreneurs_min, row.target.new_entrepreneurs_max,
            row.target.expected_to_date, row.target.gap_to_expected) if row.target
           else (None, None, None, None))] for row in rows),
        filename=f"indikator-{group_by}.csv")


@router.put("/targets/{area_code}", response_model=TargetRead)
def set_target(area_code: Annotated[str, Path(max_length=13)], body: TargetWrite,
               principal: Admin, sessions: SessionsDep) -> TargetRead:
    """A new-entrepreneur target for an area (e.g. Kecamatan Cilandak: 4,000-5,000 in five
    years), for one programme or all ("*")."""
    with transaction(sessions) as session:
        row = indicators.set_target(
            session=session, principal=principal, area_code=area_code,
            programme_id=body.programme_id, new_entrepreneurs_min=body.new_entrepreneurs_min,
            new_entrepreneurs_max=body.new_entrepreneurs_max, starts_on=body.starts_on,
            ends_on=body.ends_on)
        return TargetRead.model_validate(row)
