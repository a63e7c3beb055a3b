"""Errors a caller can cause, raised by domain and service layers (no web framework here).

The API turns each into an RFC 9457 problem document with its status and failing field.
"""

from typing import Any


class ProblemError(Exception):
    """Raise from a service layer or route to answer with a problem document."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str, *, field: str | None = None,
                 errors: list[dict[str, Any]] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail, self.field, self.errors, self.extra = detail, field, errors, extra


class InvalidInput(ProblemError):
    status, title, slug = 422, "Invalid input", "invalid-input"


class Unauthorized(ProblemError):
    status, title, slug = 401, "Authentication required", "unauthorized"


class Forbidden(ProblemError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(ProblemError):
    status, title, slug = 409, "Conflict", "conflict"
