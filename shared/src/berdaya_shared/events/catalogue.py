"""Every event type Berdaya publishes, and the generator of docs/events.md.

Run ``python -m berdaya_shared.events.catalogue docs/events.md docs/asyncapi.json`` (or
``make docs``) to regenerate the catalogue and the AsyncAPI 3.0 document, and to record the
released JSON Schema of any new event type in ``docs/schemas/`` (``schemas.py``: existing
files are never rewritten); a test fails when a committed file is out of date.
"""

import json
import sys
from pathlib import Path
from typing import Any

from . import marketplace, monitoring, notifications, registration, training
from .envelope import EventPayload, topic_of

CONTRACTS: dict[str, type[EventPayload]] = {
    model.TYPE: model
    for module in (registration, training, monitoring, marketplace, notifications)
    for model in (getattr(module, name) for name in module.__all__)
    if hasattr(model, "TYPE")
}

HEADER = """# Event catalogue

Generated from `shared/src/berdaya_shared/events/` by
`python -m berdaya_shared.events.catalogue docs/events.md`; do not edit by hand.

Every event is a CloudEvents 1.0 envelope in structured JSON mode:
`specversion, id, source, type, subject, time, datacontenttype, correlationid, causationid, data`.
The Kafka key is `subject` (the aggregate id: the participant for people-related events), so
one participant's events stay in order on one partition. Each producer publishes on
`<producer>.events`; poison messages a consumer cannot handle go to `<topic>.dlq`.
Readers ignore fields they do not know and treat enum values they do not know as unknown.
The JSON Schema of every type as released is kept in `docs/schemas/<type>.json` (written
once, when the type is new); a contract may only grow optional fields or enum values, and
`tests/contracts/test_compatibility.py` fails on anything else (a removed or renamed field, a
changed type, a new required field, a narrowed enum): a breaking change becomes a new `.vN`
type published beside the old one. NIK and KK numbers never appear in any event.
"""


def render() -> str:
    parts = [HEADER]
    for event_type, model in CONTRACTS.items():
        fields = model.model_json_schema()["properties"]
        required = set(model.model_json_schema().get("required", []))
        parts.append(f"\n## `{event_type}`\n\nTopic `{topic_of(event_type)}`. "
                     f"{(model.__doc__ or '').strip()}\n")
        parts.append("| field | type | required |\n|---|---|---|")
        for name, spec in fields.items():
            kind = spec.get("type") or " / ".join(a.get("type", "?") for a in spec.get("anyOf", []))
            fmt = spec.get("format")
            parts.append(f"| `{name}` | {kind}{f' ({fmt})' if fmt else ''} | "
                         f"{'yes' if name in required else 'no'} |")
        parts.append("\nSample `data`:\n\n```json\n"
                     + json.dumps(model.EXAMPLE, indent=2, ensure_ascii=False) + "\n```")
    return "\n".join(parts) + "\n"


def asyncapi() -> str:
    """AsyncAPI 3.0: one channel per producer topic, one message per event type."""
    channels: dict[str, dict[str, Any]] = {}
    messages: dict[str, dict[str, Any]] = {}
    operations: dict[str, dict[str, Any]] = {}
    for event_type, model in CONTRACTS.items():
        topic, name = topic_of(event_type), event_type.replace(".", "_")
        channel = channels.setdefault(topic.replace(".", "_"), {"address": topic, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
        messages[name] = {
            "name": event_type, "contentType": "application/cloudevents+json",
            "summary": (model.__doc__ or event_type).strip().splitlines()[0],
            "payload": {"type": "object", "required": ["id", "source", "type", "subject", "time",
                                                       "specversion", "correlationid", "data"],
                        "properties": {"type": {"const": event_type}, "subject": {"type": "string"},
                                       "data": model.model_json_schema()}},
            "examples": [{"payload": {"type": event_type, "data": model.EXAMPLE}}]}
        operations[f"publish_{name}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{topic.replace('.', '_')}"},
            "messages": [{"$ref": f"#/channels/{topic.replace('.', '_')}/messages/{name}"}]}
    document = {"asyncapi": "3.0.0",
                "info": {"title": "Berdaya events", "version": "1.0.0",
                         "description": "Integration events of the four Berdaya services."},
                "channels": channels, "operations": operations,
                "components": {"messages": messages}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    from .schemas import main as record_new_schemas

    Path(sys.argv[1]).write_text(render(), encoding="utf-8")
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(asyncapi(), encoding="utf-8")
    # The released schemas live beside the catalogue; only NEW types get a file (schemas.py).
    record_new_schemas([str(Path(sys.argv[1]).parent / "schemas")])
