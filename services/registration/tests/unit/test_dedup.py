from datetime import date

import pytest

from registration.domain.dedup import PersonKey, find_similar, normalise_name

BORN = date(1978, 2, 14)
PONDOK_LABU = "31.74.06.1003"


def person(id: str, name: str, born: date = BORN, kelurahan: str = PONDOK_LABU) -> PersonKey:
    return PersonKey(id=id, name=name, birth_date=born, kelurahan_code=kelurahan)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Hj. Siti Aminah", "siti aminah"),
        ("Ibu  SITI   AMINAH", "siti aminah"),
        ("Bu Siti Aminah", "siti aminah"),
        ("Bapak H. Ahmad Fauzi", "ahmad fauzi"),
        ("Pak Budi", "budi"),
        ("Sdr. Joko", "joko"),
        ("Siti Aminah, S.Pd.", "siti aminah"),
        ("Dra. Nur'aini, M.Si", "nur aini"),
        ("Haji", "haji"),  # a title alone is kept: it is the only name we have
    ],
)
def test_normalise_name(raw, clean):
    assert normalise_name(raw) == clean


def test_title_variant_is_found():
    [(match, score)] = find_similar(person("new", "Siti Aminah"), [person("a", "Hj. Siti Aminah")])
    assert match.id == "a" and score == 100


def test_different_person_with_same_first_name_is_not_found():
    assert find_similar(person("new", "Siti Aminah"), [person("b", "Siti Rahmawati")]) == []


def test_typo_and_word_order_are_found_best_first():
    existing = [
        person("typo", "Siti Aminnah"), person("order", "Aminah Siti"), person("other", "Dewi Lestari")
    ]
    found = find_similar(person("new", "Siti Aminah"), existing)
    assert [p.id for p, _ in found] == ["order", "typo"]
    assert found[0][1] >= found[1][1] >= 85


def test_same_name_but_other_birth_date_or_kelurahan_is_not_found():
    existing = [
        person("born-later", "Siti Aminah", born=date(1978, 2, 15)),
        person("lebak-bulus", "Siti Aminah", kelurahan="31.74.06.1002"),
    ]
    assert find_similar(person("new", "Siti Aminah"), existing) == []


def test_candidate_is_not_its_own_duplicate():
    me = person("same", "Siti Aminah")
    assert find_similar(me, [me]) == []


def test_threshold_is_respected():
    existing = [person("nur", "Siti Nur Aminah")]
    assert find_similar(person("new", "Siti Aminah"), existing) == []
    assert [p.id for p, _ in find_similar(person("new", "Siti Aminah"), existing, threshold=80)] == ["nur"]
