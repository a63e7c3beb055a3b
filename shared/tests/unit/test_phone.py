import pytest

from berdaya_shared.fields import InvalidField
from berdaya_shared.phone import normalise_phone


@pytest.mark.parametrize(
    "value", ["0812-3456-7890", "+62 812 3456 7890", "62812-3456-7890", "6281234567890", "(0812) 3456 7890"]
)
def test_phone_normalised_to_e164(value):
    assert normalise_phone(value) == "+6281234567890"


def test_landline_is_accepted():
    assert normalise_phone("021-7501524") == "+62217501524"


@pytest.mark.parametrize("value", ["0812345", "12345", "nomor saya", "", "+65 8123 4567"])
def test_bad_phone(value):
    with pytest.raises(InvalidField) as exc:
        normalise_phone(value, field="no_hp")
    assert exc.value.field == "no_hp"
