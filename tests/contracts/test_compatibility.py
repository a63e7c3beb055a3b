"""Every event contract stays backward compatible with its released schema (docs/schemas/).

Other city systems read these events with the released schemas, and our consumers re-read old
events; a contract may only grow optional fields (or enum values). A breaking change is a new
``.vN`` type published beside the old one. The rule itself is tested on constructed examples.
"""

import copy
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest

from berdaya_shared.events import EventPayload
from berdaya_shared.events.catalogue import CONTRACTS
from berdaya_shared.events.schemas import breaking_changes, record_new, released, schema_of

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def test_every_event_type_has_a_released_schema():
    missing = set(CONTRACTS) - set(released(SCHEMAS))
    assert not missing, f"no released schema for {sorted(missing)}: run `make docs` and commit docs/schemas/"


def test_no_released_event_type_is_dropped():
    dropped = set(released(SCHEMAS)) - set(CONTRACTS)
    assert not dropped, f"released types no longer published: {sorted(dropped)}"


@pytest.mark.parametrize("event_type", sorted(CONTRACTS))
def test_the_current_contract_is_compatible_with_the_released_schema(event_type):
    baseline = released(SCHEMAS).get(event_type)
    if baseline is None:
        pytest.skip("not released yet (see the test above)")
    problems = breaking_changes(baseline, schema_of(event_type, CONTRACTS[event_type]))
    assert not problems, (f"{event_type} is not backward compatible with docs/schemas/"
                          f"{event_type}.json: {problems}. Publish a new .vN type instead.")


def test_recording_writes_only_new_types_and_never_rewrites_a_released_schema(tmp_path):
    first = record_new(tmp_path)
    assert set(first) == set(CONTRACTS)
    released_file = tmp_path / f"{first[0]}.json"
    released_file.write_text('{"released": "as it was"}\n')
    assert record_new(tmp_path) == []
    assert released_file.read_text() == '{"released": "as it was"}\n'


# The checker on constructed examples: a released v1 and candidate changes to it.

class Released(EventPayload):
    TYPE: ClassVar[str] = "example.thing_happened.v1"
    thing_id: str
    amount: int
    note: str | None = None
    tags: list[str]
    kind: Literal["a", "b"]


def changed(**fields: Any) -> dict[str, Any]:
    """The released schema with properties replaced (None removes one); 'required' as given."""
    schema = copy.deepcopy(schema_of(Released.TYPE, Released))
    required = fields.pop("required", None)
    for name, spec in fields.items():
        if spec is None:
            schema["properties"].pop(name)
            schema["required"] = [r for r in schema["required"] if r != name]
        else:
            schema["properties"][name] = spec
    if required is not None:
        schema["required"] = required
    return schema


BASE = schema_of(Released.TYPE, Released)
REQUIRED = ["thing_id", "amount", "tags", "kind"]


def test_an_identical_contract_is_compatible():
    assert breaking_changes(BASE, schema_of(Released.TYPE, Released)) == []


def test_a_new_optional_field_is_compatible():
    class Grown(Released):
        channel: str | None = None
        count: int = 0

    assert breaking_changes(BASE, schema_of(Released.TYPE, Grown)) == []


def test_a_new_enum_value_and_new_titles_are_compatible():
    candidate = changed(kind={"enum": ["a", "b", "c"], "type": "string", "title": "Kind!"},
                        amount={"type": "integer", "description": "in rupiah"})
    assert breaking_changes(BASE, candidate) == []


def test_a_removed_field_breaks():
    class Shrunk(EventPayload):
        TYPE: ClassVar[str] = Released.TYPE
        thing_id: str
        note: str | None = None
        tags: list[str]
        kind: Literal["a", "b"]

    assert breaking_changes(BASE, schema_of(Released.TYPE, Shrunk)) == ["data.amount: removed (or renamed)"]


def test_a_removed_optional_field_breaks():
    assert breaking_changes(BASE, changed(note=None)) == ["data.note: removed (or renamed)"]


def test_a_renamed_field_breaks():
    candidate = changed(amount=None, amount_idr={"type": "integer"},
                        required=["thing_id", "amount_idr", "tags", "kind"])
    problems = breaking_changes(BASE, candidate)
    assert "data.amount: removed (or renamed)" in problems
    assert any(p.startswith("data.amount_idr: new required field") for p in problems)


@pytest.mark.parametrize(("field", "spec", "expected"), [
    ("amount", {"type": "number"}, "data.amount: type changed from integer to number"),
    ("amount", {"type": "string"}, "data.amount: type changed from integer to string"),
    ("thing_id", {"anyOf": [{"type": "string"}, {"type": "null"}]},
     "data.thing_id: type changed from string to null | string"),
    ("note", {"type": "string"}, "data.note: type changed from null | string to string"),
    ("tags", {"type": "array", "items": {"type": "integer"}},
     "data.tags[]: type changed from string to integer"),
    ("tags", {"type": "string"}, "data.tags: type changed from array to string"),
    ("thing_id", {"type": "string", "format": "uuid"}, "data.thing_id: format changed from None to 'uuid'"),
])
def test_a_changed_type_breaks(field, spec, expected):
    assert breaking_changes(BASE, changed(**{field: spec})) == [expected]


def test_a_new_required_field_breaks():
    class Demanding(Released):
        channel: str

    assert breaking_changes(BASE, schema_of(Released.TYPE, Demanding)) == [
        "data.channel: new required field (old events lack it); make it optional or publish a new .vN type"]


def test_an_optional_field_made_required_and_the_reverse_break():
    assert breaking_changes(BASE, changed(required=[*REQUIRED, "note"])) == [
        "data.note: was optional, is now required (old events may lack it)"]
    assert breaking_changes(BASE, changed(required=[r for r in REQUIRED if r != "amount"])) == [
        "data.amount: was required, is now optional (readers rely on it)"]


def test_a_narrowed_enum_breaks():
    assert breaking_changes(BASE, changed(kind={"enum": ["a"], "type": "string"})) == [
        'data.kind: enum narrowed, ["b"] no longer allowed']


def test_a_nested_object_is_checked_field_by_field():
    class Place(EventPayload):
        code: str
        name: str

    class WithPlace(EventPayload):
        TYPE: ClassVar[str] = "example.placed.v1"
        place: Place

    class Moved(EventPayload):
        code: str

    class WithMoved(EventPayload):
        TYPE: ClassVar[str] = "example.placed.v1"
        place: Moved

    assert breaking_changes(schema_of(WithPlace.TYPE, WithPlace), schema_of(WithMoved.TYPE, WithMoved)) == [
        "data.place.name: removed (or renamed)"]
