import pytest

from berdaya_shared.fields import InvalidField
from berdaya_shared.gazetteer import Gazetteer, within


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_counts_per_level(gaz):
    assert len(gaz.areas("kota")) == 6
    assert len(gaz.areas("kecamatan")) == 44
    assert len(gaz.areas("kelurahan")) == 267


def test_kota_codes_are_kemendagri(gaz):
    names = {a.code: a.name for a in gaz.areas("kota")}
    assert names == {
        "31.01": "Kabupaten Administrasi Kepulauan Seribu",
        "31.71": "Kota Administrasi Jakarta Pusat",
        "31.72": "Kota Administrasi Jakarta Utara",
        "31.73": "Kota Administrasi Jakarta Barat",
        "31.74": "Kota Administrasi Jakarta Selatan",
        "31.75": "Kota Administrasi Jakarta Timur",
    }


def test_cilandak_has_its_five_kelurahan(gaz):
    cilandak = gaz.get("31.74.06")
    assert cilandak is not None and cilandak.name == "Cilandak" and cilandak.level == "kecamatan"
    assert {a.code: a.name for a in gaz.children("31.74.06")} == {
        "31.74.06.1001": "Cilandak Barat",
        "31.74.06.1002": "Lebak Bulus",
        "31.74.06.1003": "Pondok Labu",
        "31.74.06.1004": "Gandaria Selatan",
        "31.74.06.1005": "Cipete Selatan",
    }
    assert gaz.get("31.74.06.1001").postal_code == "12430"


def test_cipayung_is_in_jakarta_timur(gaz):
    cipayung = gaz.find_kelurahan("Cipayung")
    assert gaz.kecamatan_of(cipayung.code).code == "31.75.10"
    assert gaz.kota_of(cipayung.code).name == "Kota Administrasi Jakarta Timur"
    assert len(gaz.children("31.75.10")) == 8


def test_tree_is_consistent(gaz):
    for kel in gaz.areas("kelurahan"):
        kec = gaz.get(kel.parent_code)
        assert kec is not None and kec.level == "kecamatan"
        assert gaz.get(kec.parent_code).level == "kota"
        assert kel.postal_code.isdigit() and len(kel.postal_code) == 5
    assert [a.code for a in gaz.children("31")] == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]


def test_find_kelurahan_ignores_case_and_spaces(gaz):
    assert gaz.find_kelurahan("  pondok   LABU ").code == "31.74.06.1003"
    assert gaz.find_kelurahan("PondokLabu").code == "31.74.06.1003"
    assert gaz.find_kelurahan("Kel. Lebak Bulus", kecamatan_name="cilandak").code == "31.74.06.1002"


def test_find_kelurahan_unknown_or_wrong_kecamatan(gaz):
    with pytest.raises(InvalidField) as exc:
        gaz.find_kelurahan("Menteng Wadas")
    assert exc.value.field == "kelurahan"
    with pytest.raises(InvalidField, match="Kecamatan Tebet"):
        gaz.find_kelurahan("Lebak Bulus", kecamatan_name="Tebet")


def test_find_kelurahan_ambiguous():
    from berdaya_shared.gazetteer import Area

    gaz = Gazetteer([
        Area("31.75", "kota", "Jakarta Timur", "31", ""),
        Area("31.75.01", "kecamatan", "A", "31.75", ""),
        Area("31.75.02", "kecamatan", "B", "31.75", ""),
        Area("31.75.01.1001", "kelurahan", "Baru", "31.75.01", ""),
        Area("31.75.02.1001", "kelurahan", "Baru", "31.75.02", ""),
    ])
    with pytest.raises(InvalidField, match="lebih dari satu") as exc:
        gaz.find_kelurahan("Baru")
    assert "ambiguous" in exc.value.reason_en
    assert gaz.find_kelurahan("Baru", kecamatan_name="B").code == "31.75.02.1001"


def test_kelurahan_lookup_by_code(gaz):
    assert gaz.kelurahan("3174061005").name == "Cipete Selatan"
    with pytest.raises(InvalidField) as exc:
        gaz.kelurahan("31.74.06")  # a kecamatan, not a kelurahan
    assert exc.value.field == "kelurahan_code"
    with pytest.raises(InvalidField):
        gaz.kelurahan("31.74.06.9999")


def test_kecamatan_of_a_kota_is_refused(gaz):
    with pytest.raises(InvalidField):
        gaz.kecamatan_of("31.74")


@pytest.mark.parametrize(
    ("code", "scope", "expected"),
    [
        ("31.74.06.1001", "31.74.06", True),
        ("31.74.06.1001", "31.74", True),
        ("31.74.06.1001", "31", True),
        ("31.74.06", "31.74.06", True),
        ("31.74.06.1001", "31.74.07", False),
        ("31.74.06.1001", "31.7", False),  # a prefix of the text is not a parent area
        ("31.74", "31.74.06", False),
    ],
)
def test_within(code, scope, expected):
    assert within(code, scope) is expected
