"""Indonesian phone numbers, normalised to E.164 ("+62812..."): the one rule every service
applies to a phone number it stores."""

from __future__ import annotations

import phonenumbers

from .fields import InvalidField


def normalise_phone(value: str, field: str = "phone") -> str:
    """Return an Indonesian phone number in E.164 form ("+62812..."), or a 422 naming ``field``."""
    try:
        parsed = phonenumbers.parse(value or "", "ID")
    except phonenumbers.NumberParseException:
        raise InvalidField(field, "bukan nomor telepon", "not a phone number") from None
    if parsed.country_code != 62:
        raise InvalidField(field, "harus nomor Indonesia (+62)", "must be an Indonesian number (+62)")
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidField(field, "bukan nomor telepon Indonesia yang sah",
                           "not a valid Indonesian phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
