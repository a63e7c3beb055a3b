"""Visit schedules per programme: the offsets (days after graduation) of its follow-up visits.

A schedule applies to plans opened after it is set; plans already open keep their visits.
Setting one is an upsert on the programme's row, read ``FOR UPDATE`` (two admins at once: the
last one wins, neither is lost half-way); a first insert raced by another is a 409."""

from datetime import UTC, datetime

from sqlmodel import Session

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update

from ..adapters.tables import VisitSchedule
from ..domain import model


def set_schedule(*, session: Session, principal: Principal, programme_id: str,
                 offsets_days: list[int]) -> VisitSchedule:
    model.check_offsets(offsets_days)
    now = datetime.now(UTC)
    row = get_for_update(session, VisitSchedule, programme_id)
    if row is not None:
        row.offsets_days, row.updated_by, row.updated_at = list(offsets_days), principal.subject, now
        session.add(row)
        return row
    row = VisitSchedule(programme_id=programme_id, offsets_days=list(offsets_days),
                        updated_by=principal.subject, updated_at=now)
    with conflict_on_duplicate(session, field="programme_id",
                               detail="Jadwal kunjungan program ini baru saja dibuat; coba lagi.",
                               en="This programme's visit schedule was just created; try again."):
        session.add(row)
    return row


def get_schedule(*, session: Session, programme_id: str) -> VisitSchedule | None:
    return session.get(VisitSchedule, programme_id)


def offsets_for(*, session: Session, programme_id: str, default: list[int]) -> list[int]:
    """The programme's offsets, or the service's default when it has no schedule."""
    row = session.get(VisitSchedule, programme_id)
    return list(row.offsets_days) if row is not None else list(default)
