"""Programme eligibility rules as data (stored as JSON on the programme).

Rule kinds:
  {"kind": "dtks_listed"}                           household is in DTKS
  {"kind": "pkk_cadre"}                             applicant is a PKK cadre
  {"kind": "age_between", "min": 18, "max": 64}     age on the intake date, either bound optional
  {"kind": "resides_in", "area_codes": ["31.74.06"]} kelurahan within any of these areas
  {"kind": "gender", "value": "F"}
Failure reasons are in Bahasa Indonesia: officers read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from berdaya_shared.areas import within
from berdaya_shared.gazetteer import PROVINCE_CODE, Gazetteer, dotted
from registration.domain.exceptions import InvalidField

FIELD = "eligibility_rules"
GENDER_WORD = {"F": "perempuan", "M": "laki-laki"}


@dataclass
class ApplicantFacts:
    birth_date: date
    gender: str
    kelurahan_code: str
    dtks_listed: bool
    pkk_cadre: bool


@dataclass
class RuleFailure:
    rule: str
    reason: str


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on the given day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _dtks(rule: Mapping[str, Any], facts: ApplicantFacts, on: date) -> str | None:
    return None if facts.dtks_listed else "Rumah tangga tidak terdaftar di DTKS"


def _pkk(rule: Mapping[str, Any], facts: ApplicantFacts, on: date) -> str | None:
    return None if facts.pkk_cadre else "Pemohon bukan kader PKK"


def _age(rule: Mapping[str, Any], facts: ApplicantFacts, on: date) -> str | None:
    age, low, high = age_on(facts.birth_date, on), rule.get("min"), rule.get("max")
    if (low is None or age >= low) and (high is None or age <= high):
        return None
    if low is not None and high is not None:
        return f"Usia {age} tahun, di luar rentang {low}-{high} tahun"
    if low is not None:
        return f"Usia {age} tahun, di bawah batas minimal {low} tahun"
    return f"Usia {age} tahun, di atas batas maksimal {high} tahun"


def _resides(rule: Mapping[str, Any], facts: ApplicantFacts, on: date) -> str | None:
    codes = rule["area_codes"]
    if any(within(facts.kelurahan_code, code) for code in codes):
        return None
    gazetteer = Gazetteer.load()
    places = ", ".join(gazetteer.describe(code) for code in codes)
    return f"Berdomisili di luar wilayah sasaran ({places})"


def _gender(rule: Mapping[str, Any], facts: ApplicantFacts, on: date) -> str | None:
    if facts.gender == rule["value"]:
        return None
    applicant = GENDER_WORD.get(facts.gender, "tidak diketahui")
    return f"Program ini khusus {GENDER_WORD[rule['value']]}, pemohon {applicant}"


Check = Callable[[Mapping[str, Any], ApplicantFacts, date], str | None]
CHECKS: dict[str, Check] = {
    "dtks_listed": _dtks,
    "pkk_cadre": _pkk,
    "age_between": _age,
    "resides_in": _resides,
    "gender": _gender,
}
PARAMS: dict[str, set[str]] = {"dtks_listed": set(), "pkk_cadre": set(), "age_between": {"min", "max"},
                                "resides_in": {"area_codes"}, "gender": {"value"}}


def evaluate(rules: Iterable[Mapping[str, Any]], facts: ApplicantFacts, *, on: date) -> list[RuleFailure]:
    """Every rule the applicant fails on the intake date `on`; empty means eligible."""
    failures = []
    for rule in rules:
        kind = rule.get("kind")
        check = CHECKS.get(kind) if isinstance(kind, str) else None
        if check is None:
            raise InvalidField(FIELD, f"jenis aturan {rule.get('kind')!r} tidak dikenal",
                               f"unknown rule kind {rule.get('kind')!r}")
        reason = check(rule, facts, on)
        if reason:
            failures.append(RuleFailure(rule=str(kind), reason=reason))
    return failures


class RuleError(ValueError):
    """Why a rule an admin wrote is refused, in Bahasa (``id``) and English (``en``)."""

    def __init__(self, id_: str, en: str) -> None:
        super().__init__(en)
        self.id, self.en = id_, en


def _is_age(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 120


def _clean(rule: Any) -> dict[str, Any]:
    """Validate one rule; return a normalised copy or raise RuleError(reason)."""
    if not isinstance(rule, Mapping):
        raise RuleError("setiap aturan harus berupa objek dengan 'kind'",
                        "each rule must be an object with a 'kind'")
    kind = rule.get("kind")
    if not isinstance(kind, str) or kind not in CHECKS:
        raise RuleError(f"jenis {kind!r} tidak dikenal; jenis yang dikenal: {', '.join(CHECKS)}",
                        f"unknown kind {kind!r}; known kinds: {', '.join(CHECKS)}")
    extra = set(rule) - {"kind"} - PARAMS[kind]
    if extra:
        raise RuleError(f"{kind}: parameter tidak dikenal {', '.join(sorted(extra))}",
                        f"{kind}: unexpected parameter(s) {', '.join(sorted(extra))}")
    clean: dict[str, Any] = {"kind": kind}
    if kind == "age_between":
        low, high = rule.get("min"), rule.get("max")
        if low is None and high is None:
            raise RuleError("age_between perlu 'min', 'max' atau keduanya",
                            "age_between needs 'min', 'max' or both")
        if any(v is not None and not _is_age(v) for v in (low, high)):
            raise RuleError("age_between: 'min' dan 'max' harus tahun bulat antara 0 dan 120",
                            "age_between: 'min' and 'max' must be whole years between 0 and 120")
        if low is not None and high is not None and low > high:
            raise RuleError(f"age_between: min {low} lebih besar dari max {high}",
                            f"age_between: min {low} is greater than max {high}")
        clean.update({k: v for k, v in (("min", low), ("max", high)) if v is not None})
    elif kind == "resides_in":
        codes = rule.get("area_codes")
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise RuleError("resides_in: 'area_codes' harus daftar kode wilayah yang tidak kosong",
                            "resides_in: 'area_codes' must be a non-empty list of area codes")
        gazetteer = Gazetteer.load()
        clean["area_codes"] = [dotted(c) for c in codes]
        unknown = [c for c in clean["area_codes"] if c != PROVINCE_CODE and gazetteer.get(c) is None]
        if unknown:
            raise RuleError(f"resides_in: kode wilayah tidak dikenal {', '.join(unknown)}",
                            f"resides_in: unknown area code(s) {', '.join(unknown)}")
    elif kind == "gender":
        value = str(rule.get("value", "")).upper()
        if value not in GENDER_WORD:
            raise RuleError("gender: 'value' harus 'F' atau 'M'", "gender: 'value' must be 'F' or 'M'")
        clean["value"] = value
    return clean


def validate_rules(rules: Any) -> list[dict[str, Any]]:
    """Check rules an admin submits for a programme; return them normalised."""
    if not isinstance(rules, list):
        raise InvalidField(FIELD, "harus berupa daftar aturan", "must be a list of rules")
    cleaned = []
    for number, rule in enumerate(rules, start=1):
        try:
            cleaned.append(_clean(rule))
        except RuleError as exc:
            raise InvalidField(FIELD, f"aturan {number}: {exc.id}", f"rule {number}: {exc.en}") from None
    return cleaned
