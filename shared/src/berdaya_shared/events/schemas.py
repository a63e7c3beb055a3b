"""Released event schemas (``docs/schemas/<type>.json``) and the compatibility rule.

Other city systems read our events, and our own consumers re-read old events (a replay, a new
consumer group reading a topic from its start). So a contract change must keep both working:

* a reader built on the released schema must read new events: no field removed or renamed,
  no type changed or widened (``null`` newly allowed counts), no required field made optional;
* the current contract must read events published under the released schema: no new
  required field, no narrowed type or enum (a value dropped from an enum).

Allowed: new optional fields, new enum values (readers treat unknown values as unknown, the
way they ignore unknown fields), new event types, and changes of titles, descriptions and
examples. Anything else is a new ``.vN`` type published beside the old one.

``python -m berdaya_shared.events.schemas docs/schemas`` (run by ``make docs``) writes the
schema of every type that has no released file yet; a released file is never rewritten.
"""

import json
import sys
from pathlib import Path
from typing import Any

from .catalogue import CONTRACTS
from .envelope import EventPayload

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_ANNOTATIONS = {"title", "description", "default", "examples", "$comment", "deprecated"}
_CONSTRAINTS = ("format", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                "minLength", "maxLength", "pattern", "minItems", "maxItems", "multipleOf")


def schema_of(event_type: str, model: type[EventPayload]) -> dict[str, Any]:
    """The JSON Schema (2020-12) of an event type's ``data``, as it is released."""
    return {"$schema": JSON_SCHEMA, "$id": f"urn:berdaya:event:{event_type}",
            **model.model_json_schema()}


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def record_new(directory: Path) -> list[str]:
    """Write ``<type>.json`` for every contract without a released schema; returns those
    types. Released files are the baseline and are left as they are."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type, model in CONTRACTS.items():
        path = directory / f"{event_type}.json"
        if not path.exists():
            path.write_text(render_schema(schema_of(event_type, model)), encoding="utf-8")
            written.append(event_type)
    return written


def released(directory: Path) -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(directory.glob("*.json"))}


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in ``new`` breaks readers of ``old`` or cannot read events written under ``old``
    (empty when ``new`` is a compatible evolution of ``old``)."""
    return _diff(old, new, "data", old.get("$defs", {}), new.get("$defs", {}))


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]],
                **{k: v for k, v in node.items() if k != "$ref"}}
    return {k: v for k, v in node.items() if k not in _ANNOTATIONS}


def _alternatives(node: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node, defs)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return [alt for option in node[key] for alt in _alternatives(option, defs)]
    if isinstance(node.get("type"), list):
        return [{**node, "type": t} for t in node["type"]]
    return [node]


def _kind(node: dict[str, Any]) -> str:
    if "enum" in node:
        return f"enum of {node.get('type', 'values')}"
    if "const" in node:
        return f"const {json.dumps(node['const'])}"
    return str(node.get("type", "any"))


def _diff(old: dict[str, Any], new: dict[str, Any], path: str, old_defs: dict[str, Any],
          new_defs: dict[str, Any]) -> list[str]:
    """Alternatives (``anyOf``, nullable) are matched by kind: each side must offer the same
    kinds (``string``, ``null``, ``enum of string`` ...), then each pair is compared."""
    old_kinds = {_kind(a): a for a in _alternatives(old, old_defs)}
    new_kinds = {_kind(a): a for a in _alternatives(new, new_defs)}
    if old_kinds.keys() != new_kinds.keys():
        return [f"{path}: type changed from {' | '.join(sorted(old_kinds))} "
                f"to {' | '.join(sorted(new_kinds))}"]
    problems = []
    for kind, o in old_kinds.items():
        problems += _diff_one(o, new_kinds[kind], path, old_defs, new_defs)
    return problems


def _diff_one(old: dict[str, Any], new: dict[str, Any], path: str, old_defs: dict[str, Any],
              new_defs: dict[str, Any]) -> list[str]:
    problems = []
    if "enum" in old:
        dropped = [v for v in old["enum"] if v not in new["enum"]]
        if dropped:
            problems.append(f"{path}: enum narrowed, {json.dumps(dropped)} no longer allowed")
    for key in _CONSTRAINTS:
        if old.get(key) != new.get(key):
            problems.append(f"{path}: {key} changed from {old.get(key)!r} to {new.get(key)!r}")
    if old.get("type") == "array" or "items" in old or "items" in new:
        problems += _diff(old.get("items", {}), new.get("items", {}), f"{path}[]", old_defs, new_defs)
    if old.get("type") == "object" or "properties" in old or "properties" in new:
        problems += _diff_object(old, new, path, old_defs, new_defs)
    return problems


def _diff_object(old: dict[str, Any], new: dict[str, Any], path: str, old_defs: dict[str, Any],
                 new_defs: dict[str, Any]) -> list[str]:
    problems = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, spec in old_props.items():
        where = f"{path}.{name}"
        if name not in new_props:
            problems.append(f"{where}: removed (or renamed)")
            continue
        if name in old_required and name not in new_required:
            problems.append(f"{where}: was required, is now optional (readers rely on it)")
        if name in new_required and name not in old_required:
            problems.append(f"{where}: was optional, is now required (old events may lack it)")
        problems += _diff(spec, new_props[name], where, old_defs, new_defs)
    for name in new_props.keys() - old_props.keys():
        if name in new_required:
            problems.append(f"{path}.{name}: new required field (old events lack it); "
                            "make it optional or publish a new .vN type")
    return problems


def main(argv: list[str]) -> None:
    directory = Path(argv[0]) if argv else Path("docs/schemas")
    for event_type in record_new(directory):
        print(f"recorded the released schema of {event_type} in {directory}/")


if __name__ == "__main__":
    main(sys.argv[1:])
