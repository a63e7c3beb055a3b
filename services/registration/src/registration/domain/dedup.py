"""Likely duplicate people: same birth date, same kelurahan, similar name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

# Titles written before a name (compared after punctuation is removed: "Hj." -> "hj").
HONORIFICS = frozenset(
    "h hj haji hajah hajjah ibu bu bapak pak bpk sdr sdri saudara saudari ny nyonya tn tuan"
    " nn nona mbak mas dr drs dra ir prof".split()
)


@dataclass
class PersonKey:
    id: str
    name: str
    birth_date: date
    kelurahan_code: str


def normalise_name(name: str) -> str:
    """Casefolded name without titles, degrees after a comma, or punctuation."""
    name = name.split(",", 1)[0].casefold()  # "Siti Aminah, S.Pd." -> "siti aminah"
    tokens = re.sub(r"[^\w\s]|_", " ", name).split()
    while len(tokens) > 1 and tokens[0] in HONORIFICS:
        tokens.pop(0)
    return " ".join(tokens)


def name_similarity(a: str, b: str) -> float:
    """0-100 similarity of two names after normalisation.

    token_sort_ratio rather than WRatio: it tolerates word order ("Aminah Siti") and
    typos, but it does not reward one name being contained in the other. WRatio's
    partial matching scores "Siti" against "Siti Aminah" at 90, and in a kelurahan
    many women share "Siti"/"Nur" first names, so it would merge different people.
    """
    return fuzz.token_sort_ratio(normalise_name(a), normalise_name(b))


def find_similar(
    candidate: PersonKey, existing: Iterable[PersonKey], *, threshold: float = 85.0
) -> list[tuple[PersonKey, float]]:
    """People in `existing` who are probably `candidate`, best match first."""
    wanted = normalise_name(candidate.name)
    matches = []
    for person in existing:
        if person.id == candidate.id:
            continue
        if person.birth_date != candidate.birth_date or person.kelurahan_code != candidate.kelurahan_code:
            continue
        score = fuzz.token_sort_ratio(wanted, normalise_name(person.name), score_cutoff=threshold)
        if score >= threshold:
            matches.append((person, score))
    matches.sort(key=lambda m: (-m[1], m[0].id))
    return matches
