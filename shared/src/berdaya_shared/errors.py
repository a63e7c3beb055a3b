"""Errors a caller can cause, raised by domain and service layers (no web framework here).

The API turns each into an RFC 9457 problem document with its status and failing field.
People read Bahasa Indonesia: ``detail`` is written in Bahasa, ``en`` is the English text
served when the request says ``Accept-Language: en`` (without it, English readers get the
Bahasa text, never nothing). Field names stay the API's.
"""

from typing import Any


class ProblemError(Exception):
    """Raise from a service layer or route to answer with a problem document."""

    status = 400
    title = "Permintaan tidak valid"
    title_en = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str, *, en: str | None = None, field: str | None = None,
                 errors: list[dict[str, Any]] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail, self.en, self.field, self.errors, self.extra = detail, en, field, errors, extra

    def detail_in(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.detail

    def title_in(self, language: str) -> str:
        return self.title_en if language == "en" else self.title


class InvalidInput(ProblemError):
    status, title, title_en, slug = 422, "Masukan tidak valid", "Invalid input", "invalid-input"


class Unauthorized(ProblemError):
    status, title, title_en, slug = 401, "Perlu masuk (autentikasi)", "Authentication required", \
        "unauthorized"


class Forbidden(ProblemError):
    status, title, title_en, slug = 403, "Tidak diizinkan", "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, title_en, slug = 404, "Tidak ditemukan", "Not found", "not-found"


class Conflict(ProblemError):
    status, title, title_en, slug = 409, "Konflik", "Conflict", "conflict"


class TooLarge(ProblemError):
    status, title, title_en, slug = 413, "Terlalu besar", "Content too large", "too-large"
