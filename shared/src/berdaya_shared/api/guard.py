"""The input guard: text PostgreSQL cannot store is refused before any route sees it.

PostgreSQL refuses the NUL character in text (SQLite stores it), so a ``%00`` in a query
string or a ``\\u0000`` in a JSON body would reach the database and come back as a 500. This
ASGI middleware answers 422 naming the field instead, for the path, every query parameter,
JSON bodies and urlencoded forms, once for every service. Multipart form fields use
``berdaya_shared.api.types.NoNul``; spreadsheet cells are checked by the import parser.
"""

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import InvalidInput
from .problems import preferred_language, problem_response

MAX_GUARDED_BODY = 10 * 1024 * 1024  # JSON bodies beyond this are left to the route's limits


def _nul_in(value: Any, path: str) -> str | None:
    """The dotted path of the first string (or key) holding a NUL, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return child
            found = _nul_in(item, child)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _nul_in_pairs(pairs: list[tuple[str, str]]) -> str | None:
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "") or "query"
    return None


class InputGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        field = None
        if "\x00" in scope.get("path", ""):
            field = "path"
        if field is None:
            query = scope.get("query_string", b"").decode("latin-1")
            field = _nul_in_pairs(parse_qsl(query, keep_blank_values=True))
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        guarded = content_type.endswith("json") or content_type == "application/x-www-form-urlencoded"
        if field is None and guarded:
            body, receive = await _buffer(receive)
            if len(body) <= MAX_GUARDED_BODY:
                field = _nul_in_body(body, content_type)
        if field is None:
            await self.app(scope, receive, send)
            return
        error = InvalidInput("Teks tidak boleh mengandung karakter NUL (\\u0000).",
                             en="Text must not contain the NUL character (\\u0000).", field=field,
                             errors=[{"field": field, "message": "NUL (\\u0000)"}])
        language = preferred_language(headers.get("accept-language", ""))
        response = problem_response(error, language=language, instance=scope.get("path"))
        await response(scope, receive, send)


def _nul_in_body(body: bytes, content_type: str) -> str | None:
    if content_type == "application/x-www-form-urlencoded":
        return _nul_in_pairs(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
    try:
        return _nul_in(json.loads(body), "")
    except ValueError:
        return None  # not JSON: the route answers 400 itself


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body, and give the app a ``receive`` that replays it."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), receive
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
