from datetime import date

import pytest

from registration.domain.exceptions import InvalidField
from registration.domain.identity import make_nik, validate_kk, validate_nik

# A woman born 12 March 1985, registered in Kecamatan Cilandak (31.74.06): day 12 + 40 = 52.
WOMAN = "3174065203850007"
MAN = "3175101207900012"  # a man born 12 July 1990, Kecamatan Cipayung


def reason(exc: pytest.ExceptionInfo[InvalidField]) -> str:
    """The English reason (served on Accept-Language: en); ``.reason`` is the Bahasa one."""
    return exc.value.reason_en


def with_day(day: str, month: str = "03") -> str:
    """WOMAN's NIK with other day (digits 7-8) and month digits."""
    return WOMAN[:6] + day + month + WOMAN[10:]


def test_valid_nik_is_returned_compact():
    assert validate_nik("3174.06.520385.0007") == WOMAN
    assert validate_nik(" 3174 0652 0385 0007 ") == WOMAN


def test_invalid_field_names_the_field_in_str():
    with pytest.raises(InvalidField) as exc:
        validate_nik("123", field="head_nik")
    assert exc.value.field == "head_nik"
    assert str(exc.value) == f"head_nik: {exc.value.reason}"


def test_wrong_length():
    with pytest.raises(InvalidField) as exc:
        validate_nik(WOMAN[:14])
    assert reason(exc) == "NIK must have 16 digits, not 14"


def test_non_digits():
    with pytest.raises(InvalidField) as exc:
        validate_nik("31740652O3850007")  # letter O typed for zero
    assert reason(exc) == "NIK must contain digits only"


def test_empty_nik_is_required():
    with pytest.raises(InvalidField) as exc:
        validate_nik("  ")
    assert reason(exc) == "NIK is required"
    assert exc.value.reason == "NIK wajib diisi"


def test_unknown_province():
    with pytest.raises(InvalidField) as exc:
        validate_nik("99" + WOMAN[2:])
    assert "province" in reason(exc)


def test_zero_kecamatan_digits_are_refused():
    with pytest.raises(InvalidField, match="kecamatan"):
        validate_nik("317400" + WOMAN[6:])


def test_provinces_missing_from_stdnum_are_accepted():
    # 65 Kalimantan Utara and 96 Papua Barat Daya exist in Kepmendagri but not in stdnum's table.
    assert validate_nik("657101" + WOMAN[6:]).startswith("65")
    assert validate_nik("967101" + WOMAN[6:]).startswith("96")


def test_impossible_birth_date():
    with pytest.raises(InvalidField) as exc:
        validate_nik("3174063203850007")  # day 32
    assert "birth date" in reason(exc)


def test_birth_date_must_match():
    assert validate_nik(WOMAN, birth_date=date(1985, 3, 12)) == WOMAN
    with pytest.raises(InvalidField) as exc:
        validate_nik(WOMAN, birth_date=date(1985, 3, 13))
    assert reason(exc) == "NIK birth date does not match birth_date"
    with pytest.raises(InvalidField):
        validate_nik(WOMAN, birth_date=date(1986, 3, 12))


@pytest.mark.parametrize(("day", "gender"), [("01", "M"), ("31", "M"), ("41", "F"), ("71", "F")])
def test_day_digits_01_to_31_for_men_and_41_to_71_for_women_are_accepted(day, gender):
    assert validate_nik(with_day(day), gender=gender) == with_day(day)
    born = date(1985, 3, int(day) % 40)
    assert validate_nik(with_day(day), birth_date=born, gender=gender) == with_day(day)


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "81", "99"])
def test_day_digits_outside_01_31_and_41_71_are_refused(day):
    # stdnum reads the day modulo 40: 81 and 99 would pass as a woman's 1st and 19th.
    with pytest.raises(InvalidField) as exc:
        validate_nik(with_day(day))
    assert exc.value.field == "nik"
    assert "not a possible birth date" in reason(exc)
    assert "bukan tanggal lahir yang mungkin" in exc.value.reason


@pytest.mark.parametrize("day", ["31", "30", "71", "70"])
def test_a_day_the_month_does_not_have_is_refused(day):
    with pytest.raises(InvalidField, match="tanggal lahir"):
        validate_nik(with_day(day, month="02"))  # 30/31 February, also as a woman's +40


def test_two_digit_year_resolved_from_birth_date():
    young = make_nik("31.75.10", date(2005, 1, 9), "M", 1)
    assert validate_nik(young, birth_date=date(2005, 1, 9)) == young
    with pytest.raises(InvalidField):
        validate_nik(young, birth_date=date(1995, 1, 9))  # NIK says ..05


def test_womans_plus_40_day_accepted_for_f_and_rejected_for_m():
    assert validate_nik(WOMAN, birth_date=date(1985, 3, 12), gender="F") == WOMAN
    with pytest.raises(InvalidField) as exc:
        validate_nik(WOMAN, gender="M")
    assert reason(exc) == "NIK encodes a woman's birth day (+40) but gender is M"


def test_mans_day_rejected_for_f():
    assert validate_nik(MAN, birth_date=date(1990, 7, 12), gender="M") == MAN
    with pytest.raises(InvalidField) as exc:
        validate_nik(MAN, gender="F")
    assert reason(exc) == "NIK encodes a man's birth day (no +40) but gender is F"


def test_reasons_never_contain_the_number():
    for bad in ("3174063203850007", "9974065203850007", WOMAN[:15]):
        with pytest.raises(InvalidField) as exc:
            validate_nik(bad)
        assert bad not in str(exc.value)
        assert bad[:10] not in str(exc.value)


def test_make_nik_round_trip():
    nik = make_nik("31.74.06", date(1985, 3, 12), "F", 7)
    assert nik == WOMAN
    with pytest.raises(ValueError):
        make_nik("31.74", date(1985, 3, 12), "F", 7)
    with pytest.raises(InvalidField):
        make_nik("99.01.01", date(1985, 3, 12), "F", 7)


def test_valid_kk():
    assert validate_kk("3174.0601.0120.0001") == "3174060101200001"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("317406010120001", "16 digits"),
        ("31740601012000A1", "digits only"),
        ("0000000000000000", "all zeros"),
        ("9974060101200001", "province"),
        ("3174000101200001", "kecamatan"),
        ("", "required"),
    ],
)
def test_invalid_kk(value, expected):
    with pytest.raises(InvalidField) as exc:
        validate_kk(value)
    assert exc.value.field == "kk_number"
    assert expected in exc.value.reason_en
    if value:
        assert value not in str(exc.value)
