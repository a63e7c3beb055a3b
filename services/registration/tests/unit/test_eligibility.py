from datetime import date

import pytest

from registration.domain.eligibility import ApplicantFacts, RuleFailure, evaluate, validate_rules
from registration.domain.exceptions import InvalidField

INTAKE = date(2019, 10, 15)  # UEP opening day, Cipayung

# UEP Jakarta Timur: poor households (DTKS), working age, living in Jakarta Timur.
UEP = [
    {"kind": "dtks_listed"},
    {"kind": "age_between", "min": 18, "max": 64},
    {"kind": "resides_in", "area_codes": ["31.75"]},
]
# UP2K Cilandak: PKK cadres, women, living in Kecamatan Cilandak.
UP2K = [
    {"kind": "pkk_cadre"},
    {"kind": "resides_in", "area_codes": ["31.74.06"]},
    {"kind": "gender", "value": "F"},
]


def facts(**changes) -> ApplicantFacts:
    base = dict(
        birth_date=date(1980, 5, 1), gender="F", kelurahan_code="31.75.10.1007",  # Lubang Buaya
        dtks_listed=True, pkk_cadre=False,
    )
    return ApplicantFacts(**{**base, **changes})


def test_uep_eligible_applicant_has_no_failures():
    assert evaluate(UEP, facts(), on=INTAKE) == []


def test_uep_not_in_dtks():
    assert evaluate(UEP, facts(dtks_listed=False), on=INTAKE) == [
        RuleFailure("dtks_listed", "Rumah tangga tidak terdaftar di DTKS")
    ]


def test_uep_too_young_on_intake_date():
    failures = evaluate(UEP, facts(birth_date=date(2001, 10, 16)), on=INTAKE)
    assert failures == [RuleFailure("age_between", "Usia 17 tahun, di luar rentang 18-64 tahun")]


def test_age_counts_the_birthday_itself():
    assert evaluate(UEP, facts(birth_date=date(2001, 10, 15)), on=INTAKE) == []
    assert evaluate(UEP, facts(birth_date=date(1954, 10, 16)), on=INTAKE) == []  # still 64
    [too_old] = evaluate(UEP, facts(birth_date=date(1954, 10, 15)), on=INTAKE)
    assert too_old.reason == "Usia 65 tahun, di luar rentang 18-64 tahun"


def test_uep_lives_outside_jakarta_timur():
    failures = evaluate(UEP, facts(kelurahan_code="31.74.06.1001"), on=INTAKE)
    assert failures == [
        RuleFailure("resides_in", "Berdomisili di luar wilayah sasaran (Kota Administrasi Jakarta Timur)")
    ]


def test_all_failures_are_reported_together():
    applicant = facts(dtks_listed=False, birth_date=date(1940, 1, 1), kelurahan_code="31.71.01.1001")
    failures = evaluate(UEP, applicant, on=INTAKE)
    assert [f.rule for f in failures] == ["dtks_listed", "age_between", "resides_in"]


def test_up2k_eligible_cadre_in_pondok_labu():
    cadre = facts(pkk_cadre=True, kelurahan_code="31.74.06.1003", dtks_listed=False)
    assert evaluate(UP2K, cadre, on=INTAKE) == []


def test_up2k_failures_in_bahasa():
    failures = evaluate(UP2K, facts(gender="M", kelurahan_code="31.74.07.1009"), on=INTAKE)  # Gandaria Utara
    assert failures == [
        RuleFailure("pkk_cadre", "Pemohon bukan kader PKK"),
        RuleFailure("resides_in", "Berdomisili di luar wilayah sasaran (Kecamatan Cilandak)"),
        RuleFailure("gender", "Program ini khusus perempuan, pemohon laki-laki"),
    ]


def test_one_sided_age_bounds():
    rules = [{"kind": "age_between", "min": 18}]
    assert evaluate(rules, facts(birth_date=date(1930, 1, 1)), on=INTAKE) == []
    assert evaluate(rules, facts(birth_date=date(2010, 1, 1)), on=INTAKE)[0].reason == (
        "Usia 9 tahun, di bawah batas minimal 18 tahun"
    )


def test_residence_reason_names_several_areas():
    rules = [{"kind": "resides_in", "area_codes": ["31.74.06.1001", "31.74.06.1002"]}]
    [failure] = evaluate(rules, facts(), on=INTAKE)
    assert failure.reason == (
        "Berdomisili di luar wilayah sasaran (Kelurahan Cilandak Barat, Kelurahan Lebak Bulus)"
    )


def test_whole_province_scope():
    rules = [{"kind": "resides_in", "area_codes": ["31"]}]
    assert evaluate(rules, facts(kelurahan_code="31.01.01.1001"), on=INTAKE) == []


def test_validate_rules_accepts_and_normalises():
    extra = [{"kind": "gender", "value": "f"}, {"kind": "resides_in", "area_codes": ["317406"]}]
    rules = validate_rules(UEP + extra)
    assert rules[-2] == {"kind": "gender", "value": "F"}
    assert rules[-1] == {"kind": "resides_in", "area_codes": ["31.74.06"]}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([{"kind": "income_below", "max": 1_000_000}], "rule 1: unknown kind 'income_below'"),
        ([{"kind": "dtks_listed"}, {"no_kind": 1}], "rule 2: unknown kind None"),
        ([{"kind": "age_between"}], "needs 'min', 'max' or both"),
        ([{"kind": "age_between", "min": 65, "max": 18}], "min 65 is greater than max 18"),
        ([{"kind": "age_between", "min": "18"}], "whole years"),
        ([{"kind": "age_between", "minimum": 18}], "unexpected parameter(s) minimum"),
        ([{"kind": "resides_in", "area_codes": []}], "non-empty list"),
        ([{"kind": "resides_in", "area_codes": ["32.01"]}], "unknown area code(s) 32.01"),
        ([{"kind": "gender", "value": "X"}], "'F' or 'M'"),
        ({"kind": "dtks_listed"}, "must be a list"),
    ],
)
def test_validate_rules_rejects(rules, expected):
    with pytest.raises(InvalidField) as exc:
        validate_rules(rules)
    assert exc.value.field == "eligibility_rules"
    assert expected in exc.value.reason_en


def test_evaluate_refuses_unknown_kind():
    with pytest.raises(InvalidField):
        evaluate([{"kind": "lottery"}], facts(), on=INTAKE)
