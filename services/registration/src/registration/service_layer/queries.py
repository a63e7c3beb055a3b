"""Portal reads: filtered, area-scoped, keyset-paginated lists, and CSV export."""

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.pagination import after, next_cursor

from ..adapters.tables import Application, DuplicateFlag, Participant
from .participants import scoped

SORT = ["full_name", "id"]


def name_contains(column: Any, q: str) -> Any:
    """Case-insensitive "contains"; % and _ typed by an officer are plain characters."""
    return func.lower(column).contains(q.strip().lower(), autoescape=True)


def _area_filters(model: Any, principal: Principal, kecamatan_code: str | None,
                  kelurahan_code: str | None) -> list[Any]:
    filters = [scoped(model.kelurahan_code, principal)]
    if kecamatan_code:
        filters.append(model.kelurahan_code.startswith(kecamatan_code + "."))
    if kelurahan_code:
        filters.append(model.kelurahan_code == kelurahan_code)
    return filters


def participants(*, session: Session, principal: Principal, kecamatan_code: str | None = None,
                 kelurahan_code: str | None = None, q: str | None = None,
                 programme_id: str | None = None, status: str | None = None, limit: int = 100,
                 cursor: str | None = None) -> tuple[list[Participant], str | None]:
    query = select(Participant).where(
        *_area_filters(Participant, principal, kecamatan_code, kelurahan_code),
        after([Participant.full_name, Participant.id], cursor))
    if q:
        query = query.where(name_contains(Participant.full_name, q))
    if programme_id or status:
        apps = select(Application.participant_id)
        if programme_id:
            apps = apps.where(Application.programme_id == programme_id)
        if status:
            apps = apps.where(Application.status == status)
        query = query.where(col(Participant.id).in_(apps))
    rows = list(session.exec(query.order_by(Participant.full_name, Participant.id).limit(limit)).all())
    return rows, next_cursor(rows, SORT, limit)


def applications(*, session: Session, principal: Principal, programme_id: str | None = None,
                 status: str | None = None, kecamatan_code: str | None = None,
                 kelurahan_code: str | None = None, q: str | None = None, limit: int = 100,
                 cursor: str | None = None) -> tuple[list[Application], str | None]:
    query = select(Application).where(
        *_area_filters(Application, principal, kecamatan_code, kelurahan_code),
        after([Application.full_name, Application.id], cursor))
    if programme_id:
        query = query.where(Application.programme_id == programme_id)
    if status:
        query = query.where(Application.status == status)
    if q:
        query = query.where(name_contains(Application.full_name, q))
    rows = list(session.exec(query.order_by(Application.full_name, Application.id).limit(limit)).all())
    return rows, next_cursor(rows, SORT, limit)


def duplicates(*, session: Session, principal: Principal, status: str | None) -> list[DuplicateFlag]:
    query = select(DuplicateFlag).where(scoped(DuplicateFlag.kelurahan_code, principal))
    if status:
        query = query.where(DuplicateFlag.status == status)
    return list(session.exec(query.order_by(col(DuplicateFlag.created_at))).all())


EXPORT_COLUMNS = ["id", "full_name", "gender", "birth_date", "phone", "kelurahan_code",
                  "pkk_cadre", "created_at"]
