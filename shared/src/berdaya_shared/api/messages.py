"""Pydantic's validation messages in Bahasa Indonesia (English is pydantic's own text).

Keyed by pydantic's error ``type``; the context (``max_length``, ``ge`` ...) fills the blanks.
A type not listed here keeps pydantic's English message behind a Bahasa lead-in, so nothing
is ever shown without an explanation.
"""

from typing import Any

_ID: dict[str, str] = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom ini tidak dikenal",
    "none_required": "harus kosong",
    "string_type": "harus berupa teks",
    "string_too_short": "paling sedikit {min_length} karakter",
    "string_too_long": "paling banyak {max_length} karakter",
    "string_pattern_mismatch": "formatnya tidak sesuai (pola {pattern})",
    "string_unicode": "harus berupa teks unicode yang sah",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat, tanpa pecahan",
    "int_parsing_size": "angkanya terlalu besar",
    "float_type": "harus berupa angka",
    "float_parsing": "harus berupa angka",
    "finite_number": "harus berupa angka terhingga",
    "decimal_parsing": "harus berupa angka desimal",
    "decimal_type": "harus berupa angka desimal",
    "decimal_max_digits": "paling banyak {max_digits} digit",
    "decimal_max_places": "paling banyak {decimal_places} angka di belakang koma",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "greater_than": "harus lebih besar dari {gt}",
    "greater_than_equal": "paling kecil {ge}",
    "less_than": "harus lebih kecil dari {lt}",
    "less_than_equal": "paling besar {le}",
    "multiple_of": "harus kelipatan {multiple_of}",
    "too_short": "paling sedikit {min_length} isian",
    "too_long": "paling banyak {max_length} isian",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek",
    "model_type": "harus berupa objek",
    "model_attributes_type": "harus berupa objek",
    "date_type": "harus berupa tanggal (YYYY-MM-DD)",
    "date_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_from_datetime_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_from_datetime_inexact": "harus berupa tanggal tanpa jam",
    "date_past": "harus tanggal di masa lalu",
    "date_future": "harus tanggal di masa depan",
    "datetime_type": "harus berupa tanggal dan jam (ISO 8601)",
    "datetime_parsing": "harus berupa tanggal dan jam (ISO 8601)",
    "datetime_from_date_parsing": "harus berupa tanggal dan jam (ISO 8601)",
    "time_type": "harus berupa jam (HH:MM)",
    "time_parsing": "harus berupa jam (HH:MM)",
    "uuid_type": "harus berupa UUID",
    "uuid_parsing": "harus berupa UUID",
    "url_type": "harus berupa URL",
    "url_parsing": "harus berupa URL yang sah",
    "url_scheme": "skema URL tidak diizinkan",
    "url_too_long": "URL terlalu panjang",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "bytes_type": "harus berupa berkas",
    "json_invalid": "bukan JSON yang sah",
    "json_type": "harus berupa JSON",
    "union_tag_invalid": "jenisnya tidak dikenal",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def validation_message(error: dict[str, Any], language: str) -> str:
    """One pydantic error as a sentence for the caller (``id`` or ``en``)."""
    message = str(error.get("msg", ""))
    if language == "en":
        return message
    template = _ID.get(str(error.get("type")))
    if template is None:
        return f"nilai tidak valid ({message})"
    ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace(" or ", " atau ")
    if "error" in ctx:
        ctx["error"] = str(ctx["error"])
    elif "{error}" in template:
        ctx["error"] = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return f"nilai tidak valid ({message})"


_ID["nul_character"] = "tidak boleh mengandung karakter NUL (\\u0000)"
