"""Keyset (cursor) pagination: stable under inserts, no OFFSET scans.

The cursor is an opaque base64 of the last row's sort key; the next page starts strictly after
it (a row-value comparison expanded to ``a > x OR (a = x AND b > y)`` for portability).
"""

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import and_, or_

from .errors import InvalidInput

T = TypeVar("T")


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as exc:
        raise InvalidInput("Bukan kursor dari API ini.", en="Not a cursor this API gave out.",
                           field="cursor") from exc
    if (not isinstance(values, list) or len(values) != size
            or not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values)):
        raise InvalidInput("Bukan kursor dari API ini.", en="Not a cursor this API gave out.",
                           field="cursor")
    return values


def after(columns: list[Any], cursor: str | None) -> Any:
    """A WHERE clause for rows after ``cursor`` in ``ORDER BY columns`` (all ascending)."""
    if not cursor:
        return and_(True)
    values = decode_cursor(cursor, len(columns))
    clauses = []
    for i, column in enumerate(columns):
        equal = [columns[j] == values[j] for j in range(i)]
        clauses.append(and_(*equal, column > values[i]))
    return or_(*clauses)


def next_cursor(rows: list[Any], attributes: list[str], limit: int) -> str | None:
    if len(rows) < limit:
        return None
    return encode_cursor([getattr(rows[-1], a) for a in attributes])


def area_page(session: Any, model: Any, *, area: str, limit: int, cursor: str | None,
              filters: list[Any] | None = None) -> tuple[list[Any], str | None]:
    """One page of ``model`` rows in the caller's area (by ``kelurahan_code``), in id order,
    with optional extra filters; returns the rows and the cursor of the next page."""
    from sqlmodel import select

    from .areas import in_area

    query = (select(model).where(in_area(model.kelurahan_code, area), after([model.id], cursor),
                                 *(filters or [])).order_by(model.id).limit(limit))
    rows = list(session.exec(query).all())
    return rows, next_cursor(rows, ["id"], limit)


def every_page(fetch: Callable[[str | None], tuple[Sequence[T], str | None]]
               ) -> Iterator[Sequence[T]]:
    """Walk a keyset-paged query to its end (exports): ``fetch(cursor)`` returns a page and
    the next cursor; each page may run in its own transaction."""
    cursor: str | None = None
    while True:
        rows, cursor = fetch(cursor)
        yield rows
        if cursor is None:
            return
