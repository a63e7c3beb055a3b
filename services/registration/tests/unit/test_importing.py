import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from berdaya_shared.gazetteer import Gazetteer
from registration.domain.identity import make_nik
from registration.domain.importing import INT32_MAX, ImportFileError, iter_rows, parse_row

GAZ = Gazetteer.load()
SITI_NIK = make_nik("31.74.06", date(1985, 3, 12), "F", 7)  # 3174065203850007
BUDI_NIK = make_nik("31.75.10", date(1990, 7, 12), "M", 12)
KK = "3174060101200001"

HEADER = (
    "Nama Lengkap;NIK;No. KK;Tgl Lahir;Jenis Kelamin;No HP;Alamat;RT;RW;Kelurahan;"
    "DTKS;Kader PKK;Jenis Usaha;Penghasilan"
)
KELURAHAN_LIST = "\n".join([
    "\ufeff" + HEADER,
    f"Hj. Siti Aminah;{SITI_NIK};{KK};12/03/1985;P;0812-3456-7890;\"Jl. Haji Nawi; Gg. Masjid\";5;2;"
    "Pondok Labu;ya;Y;kue basah;1.500.000",
    f"Budi Santoso;{SITI_NIK};{KK[:15]};1985-03-12;L;12345;Jl. Raya;0;2;"
    "Menteng Wadas;mungkin;tidak;;satu juta",
    ";;;;;;;;;;;;;",
    f"Budi Santoso;{BUDI_NIK};{KK};12-07-1990;Laki-laki;;Jl. Setu;12;003;Ceger;0;0;steam motor;800000",
])


def read(text: str, filename: str = "kelurahan.csv"):
    return list(iter_rows(io.BytesIO(text.encode("utf-8")), filename))


def parsed(text: str):
    return [(number, *parse_row(number, raw, GAZ)) for number, raw in read(text)]


def test_semicolon_csv_with_indonesian_headers():
    rows = parsed(KELURAHAN_LIST)
    assert [number for number, _, _ in rows] == [2, 3, 5]  # the empty row 4 is skipped, not renumbered

    _, siti, errors = rows[0]
    assert errors == []
    assert siti.full_name == "Hj. Siti Aminah" and siti.gender == "F"
    assert siti.birth_date == date(1985, 3, 12) and siti.phone == "+6281234567890"
    assert siti.address == "Jl. Haji Nawi; Gg. Masjid"
    assert (siti.rt, siti.rw, siti.kelurahan_code) == ("005", "002", "31.74.06.1003")
    assert siti.dtks_listed and siti.pkk_cadre and siti.baseline_monthly_income == 1_500_000

    _, budi, _ = rows[2]
    assert budi.kelurahan_code == "31.75.10.1008" and budi.gender == "M"
    assert not budi.dtks_listed and budi.baseline_business == "steam motor"


def test_bad_row_reports_every_field_and_no_identity_numbers():
    number, person, errors = parsed(KELURAHAN_LIST)[1]
    assert person is None
    assert {e.field for e in errors} == {
        "nik", "kk_number", "phone", "rt", "kelurahan", "dtks_listed", "baseline_monthly_income"
    }
    assert all(e.row == 3 for e in errors)
    nik_error = next(e for e in errors if e.field == "nik")
    assert "+40" in nik_error.reason and nik_error.reason_en == (
        "NIK encodes a woman's birth day (+40) but gender is M")
    for error in errors:
        assert SITI_NIK not in error.reason and KK[:15] not in error.reason


def test_missing_required_value_and_birth_date_formats():
    raw = {"full_name": " ", "nik": BUDI_NIK, "kk_number": KK, "birth_date": "31/02/1990", "gender": "L",
           "address": "Jl. Setu", "rt": "1", "rw": "1", "kelurahan_code": "3175101008"}
    person, errors = parse_row(7, raw, GAZ)
    assert person is None
    assert [(e.field, e.reason, e.reason_en) for e in errors][0] == ("full_name", "wajib diisi", "required")
    assert errors[1].field == "birth_date" and "YYYY-MM-DD atau DD/MM/YYYY" in errors[1].reason
    assert "YYYY-MM-DD or DD/MM/YYYY" in errors[1].reason_en
    assert len(errors) == 2  # the NIK is still checked, only without the date cross-check


def test_kelurahan_code_and_name_must_agree():
    raw = {"full_name": "Budi", "nik": BUDI_NIK, "kk_number": KK, "birth_date": "1990-07-12", "gender": "M",
           "address": "Jl. Setu", "rt": "1", "rw": "1", "kelurahan_code": "31.75.10.1008",
           "kelurahan": "Setu"}
    _, errors = parse_row(2, raw, GAZ)
    assert [e.field for e in errors] == ["kelurahan"]
    raw["kelurahan"] = "ceger"
    person, errors = parse_row(2, raw, GAZ)
    assert errors == [] and person.kelurahan_code == "31.75.10.1008"


def test_xlsx_built_with_openpyxl():
    book = Workbook()
    sheet = book.active
    sheet.append(["NAMA", "nik", "nomor_kk", "tanggal_lahir", "JK", "alamat", "RT", "RW", "kode_kelurahan",
                  "dtks", "pendapatan_bulanan"])
    sheet.append(["Siti Aminah", SITI_NIK, KK, datetime(1985, 3, 12), "P", "Jl. Haji Nawi", 5, 2.0,
                  "31.74.06.1003", True, 1500000.0])
    sheet.append([None] * 11)
    sheet.append(["Budi", BUDI_NIK, KK, "12/07/1990", "L", "Jl. Setu", 1, 1, "31.75.10.1008", False, None])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)

    rows = list(iter_rows(data, "Daftar Warga.XLSX"))
    assert [n for n, _ in rows] == [2, 4]
    assert rows[0][1]["birth_date"] == "1985-03-12"
    assert rows[0][1]["baseline_monthly_income"] == "1500000"
    person, errors = parse_row(*rows[0], GAZ)
    assert errors == []
    assert (person.rt, person.rw, person.dtks_listed) == ("005", "002", True)
    assert person.baseline_monthly_income == 1_500_000
    assert parse_row(*rows[1], GAZ)[1] == []


def test_missing_columns_are_named():
    with pytest.raises(ImportFileError) as exc:
        read("nama,no_kk,tgl_lahir,jk,alamat,rw,kelurahan\n")
    assert exc.value.field == "file"
    assert (exc.value.reason, exc.value.reason_en) == ("kolom tidak ada: nik, rt",
                                                       "missing column(s): nik, rt")
    with pytest.raises(ImportFileError, match="kelurahan atau kelurahan_code"):
        read("nama,nik,no_kk,tgl_lahir,jk,alamat,rt,rw\n")


def test_comma_csv_and_unknown_columns_are_ignored():
    text = (
        "name,nik,kk,birth_date,gender,address,rt,rw,kelurahan_code,catatan\n"
        f"Siti,{SITI_NIK},{KK},1985-03-12,F,Jl. A,1,1,31.74.06.1003,x\n"
    )
    [(number, raw)] = read(text)
    assert number == 2 and "catatan" not in raw and raw["full_name"] == "Siti"


@pytest.mark.parametrize("filename", ["warga.xls", "warga.pdf", "warga"])
def test_unsupported_file_type(filename):
    with pytest.raises(ImportFileError) as exc:
        read(HEADER, filename)
    assert exc.value.field == "file"


def test_not_utf8_csv_is_a_file_error():
    data = io.BytesIO((HEADER + "\nSiti Rahm\xe2wati;1\n").encode("cp1252"))
    with pytest.raises(ImportFileError, match="UTF-8"):
        list(iter_rows(data, "warga.csv"))


def test_a_nul_byte_in_a_csv_is_a_file_error_naming_its_row():
    text = KELURAHAN_LIST.replace("Budi Santoso;", "Budi\x00Santoso;", 1)
    rows = iter_rows(io.BytesIO(text.encode("utf-8")), "warga.csv")
    assert next(rows)[0] == 2
    with pytest.raises(ImportFileError) as exc:
        next(rows)
    assert "baris 3" in exc.value.reason and "NUL" in exc.value.reason_en


VALID = {"full_name": "Budi", "nik": BUDI_NIK, "kk_number": KK, "birth_date": "1990-07-12",
         "gender": "L", "address": "Jl. Setu", "rt": "1", "rw": "1", "kelurahan_code": "31.75.10.1008"}


@pytest.mark.parametrize(("cells", "field", "bahasa"), [
    ({"full_name": "B" * 201}, "full_name", "terlalu panjang: 201 karakter, paling banyak 200"),
    ({"address": "Jl. " + "x" * 297}, "address", "paling banyak 300"),
    ({"baseline_business": "w" * 201}, "baseline_business", "paling banyak 200"),
    ({"baseline_monthly_income": str(INT32_MAX + 1)}, "baseline_monthly_income", "melebihi batas"),
    ({"address": "Jl.\x00Setu"}, "address", "karakter NUL"),
    ({"kelurahan_code": "", "kelurahan": "Ceg\x00er"}, "kelurahan", "karakter NUL"),
    ({"full_name": "B" * 5000 + "\x00"}, "full_name", "karakter NUL"),
], ids=["name-over-column", "address-over-column", "business-over-column", "income-over-integer",
        "nul-in-a-cell", "nul-in-kelurahan", "long-and-nul"])
def test_values_the_store_cannot_hold_are_that_rows_error(cells, field, bahasa):
    person, errors = parse_row(5, {**VALID, **cells}, GAZ)
    assert person is None and [e.field for e in errors] == [field]
    assert bahasa in errors[0].reason and errors[0].reason_en != errors[0].reason
    assert "\x00" not in errors[0].reason + errors[0].reason_en and len(errors[0].reason) <= 480


def test_the_largest_income_an_integer_holds_is_accepted():
    person, errors = parse_row(5, {**VALID, "baseline_monthly_income": str(INT32_MAX)}, GAZ)
    assert errors == [] and person is not None and person.baseline_monthly_income == INT32_MAX
    long_reason = parse_row(5, {**VALID, "birth_date": "tanggal " * 300}, GAZ)[1][0]
    assert len(long_reason.reason) <= 480 and long_reason.reason.endswith("…")


class GeneratedCsv(io.RawIOBase):
    """A 20,000-row CSV produced on demand; counts the bytes handed out."""

    def __init__(self, rows: int) -> None:
        lines = (f"Warga {i};{SITI_NIK};{KK};1985-03-12;P;Jl. {i};1;1;Pondok Labu\n" for i in range(rows))
        self._chunks = iter([(HEADER.split(";Kelurahan")[0].replace(";No HP", "") + ";Kelurahan\n").encode(),
                             *(line.encode() for line in lines)])
        self._pending = b""
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        self.served += size
        return size


def test_large_csv_is_streamed():
    source = GeneratedCsv(20_000)
    stream = io.BufferedReader(source)
    rows = iter_rows(stream, "besar.csv")
    first_number, first = next(rows)
    assert first_number == 2 and first["full_name"] == "Warga 0"
    assert source.served < 100_000  # only a few buffers of a ~1.6 MB file were read so far
    count, last = 1, first_number
    for last, _ in rows:  # noqa: B007 - the last row number is checked below
        count += 1
    assert (count, last) == (20_000, 20_001)
    assert source.served > 1_500_000
    assert not stream.closed  # the caller's stream is left open


def test_identity_number_in_the_wrong_column_is_not_echoed():
    raw = {"full_name": "Siti", "nik": KK, "kk_number": KK, "birth_date": SITI_NIK, "gender": "P",
           "address": "Jl. A", "rt": "1", "rw": "1", "kelurahan": f"{SITI_NIK[:4]} {SITI_NIK[4:]}"}
    person, errors = parse_row(9, raw, GAZ)
    assert person is None and {e.field for e in errors} >= {"birth_date", "kelurahan"}
    for error in errors:
        assert SITI_NIK not in error.reason and SITI_NIK[4:] not in error.reason and KK not in error.reason
    assert "[nomor disembunyikan]" in next(e for e in errors if e.field == "birth_date").reason
