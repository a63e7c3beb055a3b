"""RFC 9457 problem details for every error an API returns, in the caller's language.

Caller mistakes are 4xx and name the failing field (``field`` for the first, ``errors`` for
all); a 500 means a bug of ours and never echoes input. Malformed JSON is a 400, a body that
parses but breaks the schema is a 422. ``title`` and ``detail`` are Bahasa Indonesia unless
the request prefers English (``Accept-Language: en``); field names stay the API's.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Conflict, ProblemError
from ..logging import get_logger
from .messages import validation_message

log = get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://berdaya.jakarta.go.id/problems/"
LANGUAGES = ("id", "en")

_HTTP_TITLES = {
    404: ("Tidak ditemukan", "Not found"),
    405: ("Metode tidak diizinkan", "Method not allowed"),
    406: ("Format tidak tersedia", "Not acceptable"),
    413: ("Terlalu besar", "Content too large"),
    415: ("Jenis isi tidak didukung", "Unsupported media type"),
}


def language_of(request: Request) -> str:
    return preferred_language(request.headers.get("accept-language", ""))


def preferred_language(accept_language: str) -> str:
    """``id`` or ``en``: the best match of an ``Accept-Language`` value (q-values honoured),
    ``id`` by default and for any other language."""
    best, best_q = "id", 0.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def problem(status: int, title: str, detail: str, *, slug: str, instance: str | None = None,
            language: str = "id", headers: dict[str, str] | None = None,
            **members: Any) -> JSONResponse:
    body = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in members.items() if v is not None})
    all_headers = {"Content-Language": language, **(headers or {})}
    if status == 401:
        all_headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=all_headers)


def problem_response(exc: ProblemError, *, language: str, instance: str | None) -> JSONResponse:
    return problem(exc.status, exc.title_in(language), exc.detail_in(language), slug=exc.slug,
                   instance=instance, language=language, field=exc.field, errors=exc.errors,
                   **exc.extra)


def problem_for(request: Request, exc: ProblemError) -> JSONResponse:
    return problem_response(exc, language=language_of(request), instance=request.url.path)


class MalformedJson(ProblemError):
    status, title, title_en, slug = 400, "JSON tidak sah", "Malformed JSON", "malformed-json"


class InternalError(ProblemError):
    status, title, title_en, slug = 500, "Kesalahan internal", "Internal error", "internal-error"


def internal_error(request: Request) -> JSONResponse:
    """A bug of ours: says so, never echoes the input."""
    return problem_for(request, InternalError("Terjadi kesalahan di pihak kami. Silakan coba lagi.",
                                              en="Something went wrong on our side."))


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_for(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = language_of(request)
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem_for(request, MalformedJson(
                "Isi permintaan bukan JSON yang sah.", en="The request body is not valid JSON.",
                field="body"))
        listed = [{"field": _field_of(e["loc"]), "message": validation_message(e, language)}
                  for e in errors]
        exc_out = ProblemError("; ".join(f"{e['field']}: {e['message']}" for e in listed),
                               field=listed[0]["field"] if listed else None, errors=listed)
        exc_out.status, exc_out.slug = 422, "invalid-input"
        exc_out.title, exc_out.title_en = "Masukan tidak valid", "Invalid input"
        return problem_for(request, exc_out)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # Last line of defence: a uniqueness race that a service layer did not turn into its
        # own 409 (see berdaya_shared.db.conflict_on_duplicate) is still the caller's conflict.
        log.warning("http.integrity_conflict", error=type(exc.orig).__name__)
        return problem_for(request, Conflict(
            "Data ini bertabrakan dengan data yang baru saja disimpan; muat ulang dan coba lagi.",
            en="This conflicts with data stored a moment ago; reload and try again."))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        id_title, en_title = _HTTP_TITLES.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        language = language_of(request)
        title = en_title if language == "en" else id_title
        detail = str(exc.detail) if language == "en" else id_title
        return problem(exc.status_code, title, detail, slug=f"http-{exc.status_code}",
                       instance=request.url.path, language=language)
