"""Seats: never oversold, under any concurrency.

Every programme has a counter for its total ("*") and one per kelurahan that has a quota.
Taking a seat locks the programme's counter rows in a fixed order (``FOR UPDATE`` on
PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), checks every counter, then
increments them all. Two enrolments for the last seat queue on the lock: one gets it.

Lock order. Every path that changes an application or a seat takes its row locks in this
order, so two requests never wait on each other in a circle:

1. the household, then its participants (a correction; a registration into a household);
2. the application(s) a request decides on, read with ``get_for_update`` *before* their status
   is checked (verify, reject, withdraw; a correction's open applications, in id order);
3. the programme's seat counters, in scope order ("*" first), here.

A backfill runs after step 3 (a withdrawal holds the counters when it looks for the next in
line), so it must not wait for an application lock there: it locks the waiting application
with ``SKIP LOCKED`` (``lock_waiting``). One that another request holds at that instant
(being rejected, withdrawn or corrected) is passed over and the seat goes to the next in line.

Where a seat is counted. ``Application.seat_kelurahan_code`` names the kelurahan whose quota
an enrolled application's seat is counted against: the kelurahan it was taken in. When a
correction moves the person, the seat moves with them if the new kelurahan has room
(``move_seat``); otherwise it stays counted where it was taken, and a withdrawal releases it
there (see docs/decisions.md, "Registration").
"""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from berdaya_shared.db import is_sqlite, skip_locked

from ..adapters.tables import Application, Programme, SeatCounter

TOTAL = "*"


def kelurahan_capacity(programme: Programme, kelurahan_code: str) -> int | None:
    return programme.quotas.get(kelurahan_code, programme.kelurahan_quota)


def _ensure_counter(session: Session, programme: Programme, kelurahan_code: str) -> None:
    capacity = kelurahan_capacity(programme, kelurahan_code)
    if capacity is not None and session.get(SeatCounter, (programme.id, kelurahan_code)) is None:
        try:
            with session.begin_nested():
                session.add(SeatCounter(programme_id=programme.id, scope=kelurahan_code,
                                        capacity=capacity))
        except IntegrityError:
            pass  # another transaction created it first: fine, we lock it below


def lock_counters(session: Session, programme: Programme, *kelurahan_codes: str) -> dict[str, SeatCounter]:
    """The programme's counters for the total and these kelurahan (those with a quota),
    locked in scope order; keyed by scope."""
    for code in kelurahan_codes:
        _ensure_counter(session, programme, code)
    scopes = {TOTAL, *(c for c in kelurahan_codes if kelurahan_capacity(programme, c) is not None)}
    query = (select(SeatCounter).where(col(SeatCounter.programme_id) == programme.id,
                                       col(SeatCounter.scope).in_(sorted(scopes)))
             .order_by(col(SeatCounter.scope)).execution_options(populate_existing=True))
    if not is_sqlite(session.get_bind()):
        query = query.with_for_update()
    return {c.scope: c for c in session.exec(query).all()}


def _full(counter: SeatCounter | None) -> bool:
    return counter is not None and counter.taken >= counter.capacity


def take_seat(session: Session, programme: Programme, kelurahan_code: str) -> bool:
    counters = lock_counters(session, programme, kelurahan_code)
    if any(_full(c) for c in counters.values()):
        return False
    for counter in counters.values():
        counter.taken += 1
        session.add(counter)
    session.flush()
    return True


def release_seat(session: Session, programme: Programme, kelurahan_code: str) -> None:
    """Free a seat counted against ``kelurahan_code`` (the application's seat_kelurahan_code)."""
    for counter in lock_counters(session, programme, kelurahan_code).values():
        counter.taken = max(0, counter.taken - 1)
        session.add(counter)
    session.flush()


def move_seat(session: Session, programme: Programme, counted_in: str, moved_to: str) -> str:
    """An enrolled person moved from one kelurahan to another: count their seat in the new
    kelurahan when its quota has room, else leave it where it is. Returns where it counts now.
    The programme total does not change."""
    if counted_in == moved_to:
        return counted_in
    counters = lock_counters(session, programme, counted_in, moved_to)
    if _full(counters.get(moved_to)):
        return counted_in
    if moved_to in counters:
        counters[moved_to].taken += 1
        session.add(counters[moved_to])
    if counted_in in counters:
        counters[counted_in].taken = max(0, counters[counted_in].taken - 1)
        session.add(counters[counted_in])
    session.flush()
    return moved_to


def lock_waiting(session: Session, application_id: str) -> Application | None:
    """The waiting application, locked and refreshed, unless another request holds it right
    now (``SKIP LOCKED``: a backfill holds the counters and must not wait; module docstring)."""
    query = (select(Application).where(col(Application.id) == application_id)
             .execution_options(populate_existing=True))
    query = skip_locked(session.get_bind(), query)
    return session.exec(query).first()


def seats(session: Session, programme_id: str) -> list[SeatCounter]:
    return list(session.exec(select(SeatCounter).where(col(SeatCounter.programme_id) == programme_id)
                             .order_by(col(SeatCounter.scope))).all())
