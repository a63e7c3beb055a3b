"""Bulk import of kelurahan lists (CSV or XLSX), row by row, never the whole file in memory."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from registration.domain.exceptions import InvalidField
from registration.domain.gazetteer import Gazetteer
from registration.domain.identity import normalise_phone, validate_kk, validate_nik

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


@dataclass
class RowError:
    row: int
    field: str
    reason: str

    def __post_init__(self) -> None:
        # Cells are quoted in reasons; a NIK/KK typed into the wrong column must not be.
        self.reason = NUMBERISH.sub(
            lambda m: "[nomor disembunyikan]" if sum(c.isdigit() for c in m[0]) >= 15 else m[0], self.reason
        )


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
            raise InvalidField("file", f"two columns mean '{field}'")
        if field:
            columns[index] = field
    present = set(columns.values())
    missing = [f for f in REQUIRED if f not in present]
    if not present & {"kelurahan", "kelurahan_code"}:
        missing.append("kelurahan or kelurahan_code")
    if missing:
        raise InvalidField("file", f"missing column(s): {', '.join(missing)}")
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
    """Rows of a UTF-8 CSV; the delimiter (',' or ';') is whichever the header uses more."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        yield from csv.reader(itertools.chain([first], text), delimiter=delimiter)
    except UnicodeDecodeError:
        raise InvalidField("file", "the CSV is not UTF-8 text; save it as 'CSV UTF-8'") from None
    except csv.Error as exc:
        raise InvalidField("file", f"unreadable CSV: {exc}") from None
    finally:
        if not text.closed:
            text.detach()  # leave the caller's stream open


def _xlsx_rows(stream: BinaryIO) -> Generator[list[str], None, None]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many kinds
        raise InvalidField("file", "not a readable .xlsx workbook") from exc
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def iter_rows(stream: BinaryIO, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (spreadsheet row number, {canonical field: raw text}); header is row 1."""
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    readers: dict[str, Callable[[BinaryIO], Generator[list[str], None, None]]]
    readers = {"csv": _csv_rows, "xlsx": _xlsx_rows}
    if suffix not in readers:
        raise InvalidField("file", f"unsupported file type '{filename}': upload a .csv or .xlsx file")
    rows = readers[suffix](stream)
    try:
        header = next(rows, None)
        if header is None:
            raise InvalidField("file", "the file is empty")
        columns = _columns([_cell(h) for h in header])
        for number, cells in enumerate(rows, start=2):
            raw = {field: (cells[i].strip() if i < len(cells) else "") for i, field in columns.items()}
            if any(raw.values()):
                yield number, raw
    finally:
        rows.close()


def parse_date(text: str) -> date:
    """ISO 1985-03-12, or Indonesian day-first 12/03/1985 and 12-03-1985."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD or DD/MM/YYYY")


def _rupiah(text: str) -> int:
    digits = re.sub(r"^rp\.?\s*", "", text.casefold()).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+|\d+", digits):
        return int(re.sub(r"[.,]", "", digits))
    raise ValueError(f"'{text}' is not a whole rupiah amount (e.g. 1500000 or 1.500.000)")


def _neighbourhood(text: str) -> str:
    digits = re.sub(r"^(rt|rw)\.?\s*", "", text.casefold())
    if not re.fullmatch(r"\d{1,3}", digits) or int(digits) == 0:
        raise ValueError(f"'{text}' is not an RT/RW number (1-999)")
    return digits.zfill(3)


def _choice(table: dict[str, Any], hint: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if _squash(text) not in table:
            raise ValueError(f"'{text}' is not {hint}")
        return table[_squash(text)]

    return parse


def parse_row(
    row_number: int, raw: dict[str, str], gazetteer: Gazetteer
) -> tuple[PersonInput | None, list[RowError]]:
    """Validate one imported row; every problem of the row is reported, not just the first."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def check(field: str, parse: Callable[[str], Any], *, optional: bool = False) -> None:
        text = raw.get(field, "").strip()
        if not text:
            if optional:
                values[field] = None
            else:
                errors.append(RowError(row_number, field, "required"))
            return
        try:
            values[field] = parse(text)
        except InvalidField as exc:
            errors.append(RowError(row_number, field, exc.reason))
        except ValueError as exc:
            errors.append(RowError(row_number, field, str(exc)))

    check("full_name", lambda t: " ".join(t.split()))
    check("birth_date", parse_date)
    check("gender", _choice(GENDERS, "L/P (laki-laki/perempuan)"))
    check("nik", lambda t: validate_nik(t, birth_date=values.get("birth_date"), gender=values.get("gender")))
    check("kk_number", validate_kk)
    check("phone", normalise_phone, optional=True)
    check("address", lambda t: " ".join(t.split()))
    check("rt", _neighbourhood)
    check("rw", _neighbourhood)
    check("baseline_business", str, optional=True)
    check("baseline_monthly_income", _rupiah, optional=True)
    for flag in ("dtks_listed", "pkk_cadre"):
        check(flag, _choice(BOOLEANS, "ya/tidak"), optional=True)
        values[flag] = bool(values.get(flag))
    try:
        values["kelurahan_code"] = _kelurahan_code(raw, gazetteer)
    except InvalidField as exc:
        errors.append(RowError(row_number, exc.field, exc.reason))
    if errors:
        return None, errors
    return PersonInput(**values), []


def _kelurahan_code(raw: dict[str, str], gazetteer: Gazetteer) -> str:
    code, name = raw.get("kelurahan_code", "").strip(), raw.get("kelurahan", "").strip()
    if code:
        area = gazetteer.kelurahan(code)
        if name and gazetteer.find_kelurahan(name).code != area.code:
            raise InvalidField("kelurahan", f"'{name}' is not kelurahan {area.code} ({area.name})")
        return area.code
    if name:
        return gazetteer.find_kelurahan(name, raw.get("kecamatan") or None).code
    raise InvalidField("kelurahan", "required (give kelurahan or kelurahan_code)")
