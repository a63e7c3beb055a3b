"""RFC 9457 problem details for every error an API returns.

Caller mistakes are 4xx and name the failing field (``field`` for the first, ``errors`` for
all); a 500 means a bug of ours and never echoes input. Malformed JSON is a 400, a body that
parses but breaks the schema is a 422.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ProblemError
from ..logging import get_logger

log = get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://berdaya.jakarta.go.id/problems/"



def problem(status: int, title: str, detail: str, *, slug: str, instance: str | None = None,
            **members: Any) -> JSONResponse:
    body = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in members.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, slug=exc.slug,
                       instance=request.url.path, field=exc.field, errors=exc.errors, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(400, "Malformed JSON", "The request body is not valid JSON.",
                           slug="malformed-json", instance=request.url.path, field="body")
        listed = [{"field": _field_of(e["loc"]), "message": e["msg"]} for e in errors]
        return problem(422, "Invalid input", "; ".join(f"{e['field']}: {e['message']}" for e in listed),
                       slug="invalid-input", instance=request.url.path,
                       field=listed[0]["field"] if listed else None, errors=listed)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), str(exc.detail),
                       slug=f"http-{exc.status_code}", instance=request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled_error", error=type(exc).__name__)
        return problem(500, "Internal error", "Something went wrong on our side.",
                       slug="internal-error", instance=request.url.path)
