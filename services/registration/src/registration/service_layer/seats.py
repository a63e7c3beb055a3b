"""Seats: never oversold, under any concurrency.

Every programme has a counter for its total ("*") and one per kelurahan that has a quota.
Taking a seat locks the programme's counter rows in a fixed order (``FOR UPDATE`` on
PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), checks every counter, then
increments them all. Two enrolments for the last seat queue on the lock: one gets it.
"""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from berdaya_shared.db import is_sqlite

from ..adapters.tables import Programme, SeatCounter

TOTAL = "*"


def kelurahan_capacity(programme: Programme, kelurahan_code: str) -> int | None:
    return programme.quotas.get(kelurahan_code, programme.kelurahan_quota)


def _counters(session: Session, programme: Programme, kelurahan_code: str) -> list[SeatCounter]:
    capacity = kelurahan_capacity(programme, kelurahan_code)
    if capacity is not None and session.get(SeatCounter, (programme.id, kelurahan_code)) is None:
        try:
            with session.begin_nested():
                session.add(SeatCounter(programme_id=programme.id, scope=kelurahan_code,
                                        capacity=capacity))
        except IntegrityError:
            pass  # another transaction created it first: fine, we lock it below
    scopes = [TOTAL] if capacity is None else [TOTAL, kelurahan_code]
    query = (select(SeatCounter).where(SeatCounter.programme_id == programme.id,
                                       SeatCounter.scope.in_(scopes))
             .order_by(SeatCounter.scope).execution_options(populate_existing=True))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return list(session.exec(query).all())


def take_seat(session: Session, programme: Programme, kelurahan_code: str) -> bool:
    counters = _counters(session, programme, kelurahan_code)
    if any(c.taken >= c.capacity for c in counters):
        return False
    for counter in counters:
        counter.taken += 1
        session.add(counter)
    session.flush()
    return True


def release_seat(session: Session, programme: Programme, kelurahan_code: str) -> None:
    for counter in _counters(session, programme, kelurahan_code):
        counter.taken = max(0, counter.taken - 1)
        session.add(counter)
    session.flush()


def seats(session: Session, programme_id: str) -> list[SeatCounter]:
    return list(session.exec(select(SeatCounter).where(SeatCounter.programme_id == programme_id)
                             .order_by(SeatCounter.scope)).all())
