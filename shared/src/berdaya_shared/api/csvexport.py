"""CSV exports (work lists, indicators, reports, participant lists): one way to write them.

Officers open these files in a spreadsheet, and names, notes and shop names are typed by
other people: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be read as a formula (CSV injection), so it gets a leading apostrophe, which
spreadsheets show as plain text. Numbers (a negative income change) stay numbers; None is an
empty cell. Large lists stream page by page.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fastapi.responses import Response, StreamingResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPE = "text/csv; charset=utf-8"


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(header: Sequence[str], pages: Iterable[Iterable[Sequence[Any]]]) -> Iterator[str]:
    """The header, then one chunk of text per page of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for rows in pages:
        writer.writerows([cell(v) for v in row] for row in rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _disposition(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                 filename: str) -> Response:
    """A small export, answered at once."""
    return Response("".join(csv_chunks(header, [rows])), media_type=MEDIA_TYPE,
                    headers=_disposition(filename))


def csv_stream(header: Sequence[str], pages: Iterable[Iterable[Sequence[Any]]], *,
               filename: str) -> StreamingResponse:
    """A long export, written page by page as the client reads it."""
    return StreamingResponse(csv_chunks(header, pages), media_type=MEDIA_TYPE,
                             headers=_disposition(filename))
