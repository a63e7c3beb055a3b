"""Domain errors of the registration service."""

from __future__ import annotations

from berdaya_shared.errors import InvalidInput


class DomainError(Exception):
    """Base class for every rule the domain refuses."""


class InvalidField(InvalidInput, DomainError):
    """A value that breaks a rule, named by the field it came from (answered as a 422).

    The reason never repeats NIK or KK values (they must not reach logs).
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field)
        self.reason = reason
