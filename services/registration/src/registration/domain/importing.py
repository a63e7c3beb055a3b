"""Bulk import of kelurahan lists (CSV or XLSX), row by row, never the whole file in memory.

Officers read Bahasa Indonesia: every reason is given in Bahasa (``reason``) and in English
(``reason_en``, served on ``Accept-Language: en``). A problem with one row (a bad value, a
value longer than its column, a number over PostgreSQL's INTEGER, a NUL character) is a
``RowError`` of that row; a problem with the file itself (not UTF-8, a NUL byte in a CSV, a
damaged workbook, missing columns) is an ``ImportFileError``, which stops the import.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, BinaryIO

from openpyxl import load_workbook  # type: ignore[import-untyped]

from berdaya_shared.errors import InvalidInput, ProblemError
from berdaya_shared.gazetteer import Gazetteer
from berdaya_shared.phone import normalise_phone
from registration.domain.identity import validate_kk, validate_nik

INT32_MAX = 2**31 - 1  # PostgreSQL INTEGER: baseline_monthly_income's column
# Longest text each column holds (adapters/tables.py); a longer cell is that row's error.
MAX_LENGTH = {"full_name": 200, "address": 300, "baseline_business": 200, "phone": 20}


class ImportState(StrEnum):
    QUEUED = "queued"     # stored, waiting for the jobs role
    RUNNING = "running"   # claimed by a jobs process (under a lease), chunks being committed
    DONE = "done"         # every row read; the row report is complete
    FAILED = "failed"     # the file broke part-way: the chunks committed before stay


class Outcome(StrEnum):
    REGISTERED = "registered"
    ALREADY_REGISTERED = "skipped: already registered"
    ALREADY_APPLIED = "skipped: already applied"
    APPLIED = "applied"
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"

    @property
    def skipped(self) -> bool:
        return self.value.startswith("skipped")


# canonical field: accepted headers (compared without case, spaces, underscores, dots, dashes)
ALIASES = {
    "full_name": "full_name nama nama_lengkap name", "nik": "nik",
    "kk_number": "kk_number no_kk nomor_kk kk", "birth_date": "birth_date tanggal_lahir tgl_lahir",
    "gender": "gender jenis_kelamin jk", "phone": "phone no_hp telepon hp", "address": "address alamat",
    "rt": "rt", "rw": "rw", "kelurahan": "kelurahan", "kelurahan_code": "kelurahan_code kode_kelurahan",
    "kecamatan": "kecamatan",  # optional: narrows down a kelurahan name
    "dtks_listed": "dtks_listed dtks", "pkk_cadre": "pkk_cadre kader_pkk",
    "baseline_business": "baseline_business usaha jenis_usaha",
    "baseline_monthly_income": "baseline_monthly_income penghasilan pendapatan_bulanan",
}
REQUIRED = ("full_name", "nik", "kk_number", "birth_date", "gender", "address", "rt", "rw")
GENDERS = {"l": "M", "lakilaki": "M", "pria": "M", "m": "M", "male": "M",
           "p": "F", "perempuan": "F", "wanita": "F", "f": "F", "female": "F"}
BOOLEANS = {"ya": True, "y": True, "iya": True, "1": True, "true": True,
            "tidak": False, "n": False, "0": False, "false": False}


def _squash(text: str) -> str:
    return re.sub(r"[\s_.\-]+", "", text.casefold())


LOOKUP = {_squash(alias): field for field, aliases in ALIASES.items() for alias in aliases.split()}
NUMBERISH = re.compile(r"\d[\d .\-]*\d")


def hide_numbers(text: str) -> str:
    """Cells are quoted in reasons; a NIK/KK typed into the wrong column must not be."""
    return NUMBERISH.sub(
        lambda m: "[nomor disembunyikan]" if sum(c.isdigit() for c in m[0]) >= 15 else m[0], text)


@dataclass
class RowError:
    row: int
    field: str
    reason: str            # Bahasa Indonesia
    reason_en: str = ""    # English; the Bahasa text when no translation was given

    def __post_init__(self) -> None:
        self.reason = _clip(hide_numbers(self.reason))
        self.reason_en = _clip(hide_numbers(self.reason_en or self.reason))


def _clip(text: str, limit: int = 480) -> str:
    """Reasons quote cells: keep them storable (no NUL) and short (a cell may be huge)."""
    text = text.replace("\x00", "\\0")
    return text if len(text) <= limit else text[:limit - 1] + "…"


class CellError(ValueError):
    """Why one cell cannot be read, in both languages."""

    def __init__(self, reason: str, en: str) -> None:
        super().__init__(en)
        self.reason, self.reason_en = reason, en


class FieldError(CellError):
    """A cell's problem reported under another field than the cell's own."""

    def __init__(self, field: str, reason: str, en: str) -> None:
        super().__init__(reason, en)
        self.field = field


class ImportFileError(InvalidInput):
    """The file itself cannot be read (answered as a 422 naming ``file`` at upload; ends a
    running import as ``failed``)."""

    def __init__(self, reason: str, en: str) -> None:
        super().__init__(hide_numbers(reason), en=hide_numbers(en), field="file")
        self.reason, self.reason_en = self.detail, self.en or self.detail


def reasons_of(exc: ProblemError) -> tuple[str, str]:
    """(Bahasa, English) of a problem raised by a rule elsewhere, without the "field: " prefix."""
    reason = str(getattr(exc, "reason", None) or exc.detail)
    english = getattr(exc, "reason_en", None) or exc.en or reason
    prefix = f"{exc.field}: " if exc.field else ""
    return reason.removeprefix(prefix), str(english).removeprefix(prefix)


@dataclass(frozen=True)
class PersonInput:
    full_name: str
    nik: str
    kk_number: str
    birth_date: date
    gender: str
    phone: str | None
    address: str
    rt: str
    rw: str
    kelurahan_code: str
    dtks_listed: bool
    pkk_cadre: bool
    baseline_business: str | None
    baseline_monthly_income: int | None


def _columns(header: list[str]) -> dict[int, str]:
    """Map column index -> canonical field; refuse files missing required columns."""
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        field = LOOKUP.get(_squash(title))
        if field in columns.values():
            raise ImportFileError(f"dua kolom bermakna '{field}'", f"two columns mean '{field}'")
        if field:
            columns[index] = field
    present = set(columns.values())
    missing = [f for f in REQUIRED if f not in present]
    if not present & {"kelurahan", "kelurahan_code"}:
        missing.append("kelurahan or kelurahan_code")
    if missing:
        names = ", ".join(missing)
        raise ImportFileError(f"kolom tidak ada: {names.replace(' or ', ' atau ')}",
                              f"missing column(s): {names}")
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(stream: BinaryIO) -> Generator[list[str], None, None]:
    """Rows of a UTF-8 CSV; the delimiter (',' or ';') is whichever the header uses more.

    A text CSV never holds a NUL byte: one means a binary or UTF-16 file or a damaged copy,
    so the file is refused from there on rather than guessed at."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    number = 0
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        for number, cells in enumerate(csv.reader(itertools.chain([first], text),
                                                  delimiter=delimiter), start=1):
            if any("\x00" in cell for cell in cells):
                raise ImportFileError(
                    f"baris {number} berisi byte NUL: ini bukan CSV teks; simpan ulang sebagai "
                    "'CSV UTF-8'", f"row {number} holds a NUL byte: this is not a text CSV; "
                    "save it again as 'CSV UTF-8'")
            yield cells
    except UnicodeDecodeError:
        raise ImportFileError(
            f"CSV bukan teks UTF-8 (setelah baris {number}); simpan sebagai 'CSV UTF-8'",
            f"the CSV is not UTF-8 text (after row {number}); save it as 'CSV UTF-8'") from None
    except csv.Error as exc:
        raise ImportFileError(f"CSV tidak dapat dibaca setelah baris {number}: {exc}",
                              f"unreadable CSV after row {number}: {exc}") from None
    finally:
        if not text.closed:
            text.detach()  # leave the caller's stream open


def _xlsx_rows(stream: BinaryIO) -> Generator[list[str], None, None]:
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - zipfile/openpyxl raise many kinds
        raise ImportFileError("bukan berkas .xlsx yang dapat dibaca",
                              "not a readable .xlsx workbook") from None
    number = 0
    try:
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True),  # noqa: B007
                                        start=1):
            yield [_cell(v) for v in values]
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet part-way through
        raise ImportFileError(f"lembar kerja rusak setelah baris {number}",
                              f"the worksheet is damaged after row {number}") from None
    finally:
        book.close()


def file_kind(filename: str) -> str:
    """``csv`` or ``xlsx`` from the file name, or an ImportFileError."""
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if suffix not in ("csv", "xlsx"):
        raise ImportFileError(f"jenis berkas '{filename}' tidak didukung: unggah berkas .csv atau .xlsx",
                              f"unsupported file type '{filename}': upload a .csv or .xlsx file")
    return suffix


def count_xlsx_rows(stream: BinaryIO) -> int | None:
    """Data rows of the first sheet as its dimension states them (None when it does not)."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - the reader reports a damaged file
        return None
    try:
        rows = book.worksheets[0].max_row
        return max(0, rows - 1) if isinstance(rows, int) else None
    finally:
        book.close()


def iter_rows(stream: BinaryIO, filename: str) -> Generator[tuple[int, dict[str, str]], None, None]:
    """Yield (spreadsheet row number, {canonical field: raw text}); header is row 1."""
    readers: dict[str, Callable[[BinaryIO], Generator[list[str], None, None]]]
    readers = {"csv": _csv_rows, "xlsx": _xlsx_rows}
    rows = readers[file_kind(filename)](stream)
    try:
        header = next(rows, None)
        if header is None:
            raise ImportFileError("berkas kosong", "the file is empty")
        columns = _columns([_cell(h) for h in header])
        for number, cells in enumerate(rows, start=2):
            raw = {field: (cells[i].strip() if i < len(cells) else "") for i, field in columns.items()}
            if any(raw.values()):
                yield number, raw
    finally:
        rows.close()


SEPARATORS = re.compile(r"[\s.\-]+")


def nik_key(raw: dict[str, str]) -> str | None:
    """The NIK a raw row carries, compacted (for "same NIK twice in one file"), or None."""
    number = SEPARATORS.sub("", raw.get("nik", ""))
    return number if len(number) == 16 and number.isdigit() else None


def parse_date(text: str) -> date:
    """ISO 1985-03-12, or Indonesian day-first 12/03/1985 and 12-03-1985."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            pass
    raise CellError(f"'{text}' bukan tanggal; gunakan YYYY-MM-DD atau DD/MM/YYYY",
                    f"'{text}' is not a date; use YYYY-MM-DD or DD/MM/YYYY")


def _rupiah(text: str) -> int:
    digits = re.sub(r"^rp\.?\s*", "", text.casefold()).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+|\d+", digits):
        amount = int(re.sub(r"[.,]", "", digits))
        if amount > INT32_MAX:
            raise CellError(f"jumlah melebihi batas {INT32_MAX:,}".replace(",", "."),
                            f"the amount is over the limit of {INT32_MAX:,}")
        return amount
    raise CellError(f"'{text}' bukan jumlah rupiah bulat (mis. 1500000 atau 1.500.000)",
                    f"'{text}' is not a whole rupiah amount (e.g. 1500000 or 1.500.000)")


def _neighbourhood(text: str) -> str:
    digits = re.sub(r"^(rt|rw)\.?\s*", "", text.casefold())
    if not re.fullmatch(r"\d{1,3}", digits) or int(digits) == 0:
        raise CellError(f"'{text}' bukan nomor RT/RW (1-999)", f"'{text}' is not an RT/RW number (1-999)")
    return digits.zfill(3)


def _choice(table: dict[str, Any], hint: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if _squash(text) not in table:
            raise CellError(f"'{text}' bukan {hint}", f"'{text}' is not {hint}")
        return table[_squash(text)]

    return parse


def _words(text: str) -> str:
    return " ".join(text.split())


def parse_row(
    row_number: int, raw: dict[str, str], gazetteer: Gazetteer
) -> tuple[PersonInput | None, list[RowError]]:
    """Validate one imported row; every problem of the row is reported, not just the first."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def check(field: str, parse: Callable[[str], Any], *, optional: bool = False) -> None:
        text = raw.get(field, "").strip()
        if "\x00" in text:
            errors.append(RowError(row_number, field, "berisi karakter NUL yang tidak diizinkan",
                                   "contains a NUL character, which is not allowed"))
            return
        if not text:
            if optional:
                values[field] = None
            else:
                errors.append(RowError(row_number, field, "wajib diisi", "required"))
            return
        try:
            value = parse(text)
        except CellError as exc:
            errors.append(RowError(row_number, field, exc.reason, exc.reason_en))
            return
        except ProblemError as exc:
            errors.append(RowError(row_number, field, *reasons_of(exc)))
            return
        except ValueError as exc:
            errors.append(RowError(row_number, field, str(exc)))
            return
        limit = MAX_LENGTH.get(field)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            errors.append(RowError(
                row_number, field, f"terlalu panjang: {len(value)} karakter, paling banyak {limit}",
                f"too long: {len(value)} characters, at most {limit}"))
            return
        values[field] = value

    check("full_name", _words)
    check("birth_date", parse_date)
    check("gender", _choice(GENDERS, "L/P (laki-laki/perempuan)"))
    check("nik", lambda t: validate_nik(t, birth_date=values.get("birth_date"), gender=values.get("gender")))
    check("kk_number", validate_kk)
    check("phone", normalise_phone, optional=True)
    check("address", _words)
    check("rt", _neighbourhood)
    check("rw", _neighbourhood)
    check("baseline_business", _words, optional=True)
    check("baseline_monthly_income", _rupiah, optional=True)
    for flag in ("dtks_listed", "pkk_cadre"):
        check(flag, _choice(BOOLEANS, "ya/tidak"), optional=True)
        values[flag] = bool(values.get(flag))
    try:
        values["kelurahan_code"] = _kelurahan_code(raw, gazetteer)
    except FieldError as exc:
        errors.append(RowError(row_number, exc.field, exc.reason, exc.reason_en))
    except ProblemError as exc:
        errors.append(RowError(row_number, exc.field or "kelurahan", *reasons_of(exc)))
    if errors:
        return None, errors
    return PersonInput(**values), []


def _kelurahan_code(raw: dict[str, str], gazetteer: Gazetteer) -> str:
    code, name = raw.get("kelurahan_code", "").strip(), raw.get("kelurahan", "").strip()
    return _place(gazetteer, code, name, raw.get("kecamatan", ""))


@functools.lru_cache(maxsize=4096)
def _place(gazetteer: Gazetteer, code: str, name: str, kecamatan: str) -> str:
    """A list names the same few kelurahan on every row: each is looked up once."""
    if "\x00" in code + name + kecamatan:
        raise FieldError("kelurahan", "berisi karakter NUL yang tidak diizinkan",
                         "contains a NUL character, which is not allowed")
    if code:
        area = gazetteer.kelurahan(code)
        if name and gazetteer.find_kelurahan(name).code != area.code:
            raise FieldError("kelurahan", f"'{name}' bukan kelurahan {area.code} ({area.name})",
                             f"'{name}' is not kelurahan {area.code} ({area.name})")
        return area.code
    if name:
        return gazetteer.find_kelurahan(name, kecamatan or None).code
    raise FieldError("kelurahan", "wajib diisi (isi kelurahan atau kelurahan_code)",
                     "required (give kelurahan or kelurahan_code)")
