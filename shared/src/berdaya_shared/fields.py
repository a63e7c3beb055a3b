"""A value that breaks a rule, named by its field: the error of the shared reference rules
(gazetteer, phone numbers) and of every service's own field checks."""

from __future__ import annotations

from .errors import InvalidInput


class InvalidField(InvalidInput):
    """A value that breaks a rule, named by the field it came from (answered as a 422).

    ``reason`` is Bahasa Indonesia (officers read it, also in import row reports); ``reason_en``
    is the English served on ``Accept-Language: en``. Reasons never repeat NIK or KK values
    (they must not reach logs).
    """

    def __init__(self, field: str, reason: str, en: str | None = None) -> None:
        super().__init__(f"{field}: {reason}", en=f"{field}: {en}" if en else None, field=field)
        self.reason, self.reason_en = reason, en or reason
