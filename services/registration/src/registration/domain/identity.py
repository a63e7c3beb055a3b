"""NIK and KK checks (phone numbers: ``berdaya_shared.phone``).

Reasons never quote the number itself: NIK and KK values must not reach logs.
"""

from __future__ import annotations

from datetime import date

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.id import nik as stdnum_nik

from registration.domain.exceptions import InvalidField

# Province codes of Kepmendagri 300.2.2-2138/2025 (38 provinces). stdnum's own table
# (stdnum/id/loc.dat) is the older BPS list of 33: it lacks 65 (Kalimantan Utara) and
# 92, 93, 95, 96 (the Papua provinces), so NIKs issued there would be refused.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65"
    " 71 72 73 74 75 76 81 82 91 92 93 94 95 96".split()
)
GENDERS = ("F", "M")


def _region_problem(number: str) -> tuple[str, str] | None:
    """Why digits 1-6 cannot be a Kemendagri kecamatan code (Bahasa, English), or None."""
    if number[:2] not in PROVINCE_CODES:
        return "kode provinsi pada digit 1-2 tidak dikenal", "unknown province code in digits 1-2"
    if number[2:4] == "00" or number[4:6] == "00":
        return ("digit 3-6 bukan kode kabupaten/kota dan kecamatan",
                "digits 3-6 are not a kabupaten/kota and kecamatan code")
    return None


def _day_digits_possible(day: int) -> bool:
    """Digits 7-8: the day of birth, 01-31 for a man, 41-71 (day + 40) for a woman.
    python-stdnum reads the day modulo 40, so it would take 81-99 for a woman's 01-19."""
    return 1 <= day <= 31 or 41 <= day <= 71


def validate_nik(
    value: str,
    *,
    birth_date: date | None = None,
    gender: str | None = None,
    field: str = "nik",
) -> str:
    """Return the 16-digit NIK, or raise InvalidField saying what is wrong."""
    if gender not in (None, *GENDERS):
        raise ValueError(f"gender must be 'F' or 'M', not {gender!r}")
    number = stdnum_nik.compact(value or "")
    if not number:
        raise InvalidField(field, "NIK wajib diisi", "NIK is required")
    bad_date = InvalidField(
        field, "digit 7-12 NIK bukan tanggal lahir yang mungkin (DDMMYY, tanggal +40 untuk perempuan)",
        "NIK digits 7-12 are not a possible birth date (DDMMYY, +40 on the day for women)")
    try:
        stdnum_nik.validate(number)
    except InvalidLength:  # a subclass of InvalidFormat: catch it first
        raise InvalidField(field, f"NIK harus 16 digit, bukan {len(number)}",
                           f"NIK must have 16 digits, not {len(number)}") from None
    except InvalidFormat:
        raise InvalidField(field, "NIK hanya boleh berisi angka", "NIK must contain digits only") from None
    except InvalidComponent:
        # stdnum raises the same error for a bad birth date and a bad region.
        try:
            stdnum_nik.get_birth_date(number)
        except InvalidComponent:
            raise bad_date from None
    day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    if not _day_digits_possible(day):
        raise bad_date
    problem = _region_problem(number)
    if problem:
        raise InvalidField(field, f"kode wilayah NIK tidak sah: {problem[0]}",
                           f"NIK region code is invalid: {problem[1]}")

    woman = day > 40
    if birth_date is not None:
        # Only two year digits: resolve the century from birth_date itself.
        century = birth_date.year - birth_date.year % 100
        if (century + yy, month, day % 40) != (birth_date.year, birth_date.month, birth_date.day):
            raise InvalidField(field, "tanggal lahir pada NIK tidak sama dengan birth_date",
                               "NIK birth date does not match birth_date")
    if gender == "M" and woman:
        raise InvalidField(field, "NIK menandai tanggal lahir perempuan (+40) tetapi gender M",
                           "NIK encodes a woman's birth day (+40) but gender is M")
    if gender == "F" and not woman:
        raise InvalidField(field, "NIK menandai tanggal lahir laki-laki (tanpa +40) tetapi gender F",
                           "NIK encodes a man's birth day (no +40) but gender is F")
    return number


def validate_kk(value: str, field: str = "kk_number") -> str:
    """Return the 16-digit family-card (KK) number, or raise InvalidField."""
    number = stdnum_nik.compact(value or "")
    if not number:
        raise InvalidField(field, "nomor KK wajib diisi", "KK number is required")
    if not number.isdigit() or not number.isascii():
        raise InvalidField(field, "nomor KK hanya boleh berisi angka", "KK number must contain digits only")
    if len(number) != 16:
        raise InvalidField(field, f"nomor KK harus 16 digit, bukan {len(number)}",
                           f"KK number must have 16 digits, not {len(number)}")
    if number == "0" * 16:
        raise InvalidField(field, "nomor KK tidak boleh semuanya nol", "KK number cannot be all zeros")
    problem = _region_problem(number)
    if problem:
        raise InvalidField(field, f"kode wilayah KK tidak sah: {problem[0]}",
                           f"KK region code is invalid: {problem[1]}")
    return number


def make_nik(region: str, birth_date: date, gender: str, serial: int) -> str:
    """Build a well-formed NIK (tests and synthetic demo data only)."""
    region = region.replace(".", "")
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be a 6-digit kecamatan code, e.g. '31.74.06'")
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be between 1 and 9999")
    if gender not in GENDERS:
        raise ValueError("gender must be 'F' or 'M'")
    day = birth_date.day + (40 if gender == "F" else 0)
    number = f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
    return validate_nik(number, birth_date=birth_date, gender=gender)
