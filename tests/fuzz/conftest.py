"""Each service on a fresh PostgreSQL database, seeded, and its OpenAPI schema ready to fuzz.

The app is called in process (ASGI), as a city admin for all of Jakarta. The fuzz is bounded
and repeatable: a fixed number of examples per operation, derandomized, no example database,
no shrinking (a failing case is reported as found, with its curl line).
"""

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from berdaya_shared.testing import auth_headers, service_runtime

from .seed import SEEDS, Seeded

SETTINGS = {"registration": "RegistrationSettings", "training": "TrainingSettings",
            "monitoring": "MonitoringSettings", "marketplace": "MarketplaceSettings"}
MAX_EXAMPLES = 100
PATH_PARAMETER = re.compile(r"{(\w+)}")


# What PostgreSQL refuses and random generation seldom draws: numbers just past INTEGER and
# BIGINT, NUL characters, strings longer than the usual column widths. schemathesis puts them
# in query and path parameters; the body hook below puts them in body fields.
EDGE_INTEGERS = [2**31, -(2**31) - 1, 2**63, 10**30, 2**31 - 1, 2**63 - 1]
EDGE_STRINGS = ["x" * 2001, "kue\x00basah", *("x" * n for n in (41, 61, 121, 201, 256, 301))]


def fuzz_config(headers: dict[str, str]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 6,
        "suppress-health-check": ["all"],
        "headers": headers,
        "dictionaries": {"edge-integers": {"values": EDGE_INTEGERS},
                         "edge-strings": {"values": EDGE_STRINGS}},
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True,
                       "no-shrink": True, "database": "none",
                       # Our bearer token on every call: auth itself is tested elsewhere.
                       "with-security-parameters": False,
                       "dictionaries": {
                           "integer": {"dictionary": "edge-integers", "probability": 0.2},
                           "string": {"dictionary": "edge-strings", "probability": 0.1}}},
        "phases": {"stateful": {"enabled": False}},
    })


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's ``from_fixture`` reads ``item._nodeid``, which pytest 9.2 renamed.

    Giving the item that attribute back is all it needs; drop this once schemathesis reads
    ``item.nodeid``.
    """
    request.node._nodeid = request.node.nodeid


@dataclass
class Target:
    service: str
    runtime: Any
    app: Any
    headers: dict[str, str]
    seeded: Seeded


@pytest.fixture(params=list(SETTINGS))
def target(request: pytest.FixtureRequest, postgres_url: str,
           kafka_bootstrap: str) -> Iterator[Target]:
    service = request.param
    build = importlib.import_module(f"{service}.bootstrap").build
    settings_cls = getattr(importlib.import_module(f"{service}.config"), SETTINGS[service])
    with service_runtime(build, settings_cls, postgres_url, kafka_bootstrap) as runtime:
        app = runtime.create_app()
        headers = auth_headers(runtime.settings, "city_admin", area="31", subject="fuzz.admin")
        with TestClient(app) as client:
            seeded = SEEDS[service](runtime, client, headers)
        yield Target(service, runtime, app, headers, seeded)


def _some_seeded(ids: dict[str, list[str]], values: Any) -> Any:
    """Each value whose name we seeded: the generated one or a real id, Hypothesis chooses."""
    if not isinstance(values, dict):
        return st.just(values)
    return st.fixed_dictionaries({
        name: st.sampled_from([value, *ids[name]]) if ids.get(name) else st.just(value)
        for name, value in values.items()})


def _edges_like(value: Any) -> list[Any]:
    """Variants of ``value`` that PostgreSQL may refuse, same shape (none for bools and nulls)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return EDGE_INTEGERS
    if isinstance(value, str):
        return EDGE_STRINGS
    if isinstance(value, dict):
        return [{**value, key: edge} for key, inner in value.items() for edge in _edges_like(inner)]
    if isinstance(value, list) and value:
        return [[edge, *value[1:]] for edge in _edges_like(value[0])]
    return []


def _at_the_edges(valid: Callable[[], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """A valid body, then one per field and edge value: that field at that edge."""
    yield valid()
    for name, value in valid().items():
        for edge in _edges_like(value):
            yield {**valid(), name: edge}


def _spliced(valid: Callable[[], dict[str, Any]], generated: dict[str, Any]) -> Any:
    """A valid body with one or two fields replaced: by generated values or by edge values."""
    def splice(body: dict[str, Any]) -> Any:
        def replacement(name: str) -> Any:
            options = [*(_edges_like(body[name]) if name in body else []),
                       *([generated[name]] if name in generated else [])]
            return st.sampled_from(options) if options else st.just(body[name])

        chosen = st.lists(st.sampled_from(sorted(set(body) | set(generated))),
                          min_size=1, max_size=2, unique=True)
        return chosen.flatmap(lambda picked: st.fixed_dictionaries(
            {name: replacement(name) for name in picked}).map(lambda new: {**body, **new}))
    return st.builds(valid).flatmap(splice)


def _named_uploads(document: dict[str, Any]) -> dict[str, Any]:
    """Uploads carry a ``.csv`` file name, as a browser sends it (the import reads the suffix)."""
    schemas = document.get("components", {}).get("schemas", {})
    for operations in document["paths"].values():
        for operation in operations.values():
            form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if form is None:
                continue
            reference = form["schema"].get("$ref", "")
            properties = schemas.get(reference.rsplit("/", 1)[-1], form["schema"])["properties"]
            form["encoding"] = {
                name: {"headers": {"Content-Disposition": {"schema": {
                    "type": "string", "example": f'form-data; name="{name}"; filename="daftar.csv"'}}}}
                for name, field in properties.items()
                if field.get("contentMediaType") or field.get("format") == "binary"}
    return document


@pytest.fixture
def api_schema(target: Target) -> Any:
    schema = schemathesis.openapi.from_dict(_named_uploads(target.app.openapi()),
                                            config=fuzz_config(target.headers))
    schema.app = target.app  # called in process, as ``from_asgi`` would
    ids, bodies = target.seeded.ids, target.seeded.bodies

    @schema.hook("before_add_examples")
    def valid_bodies_at_the_edges(context: Any, examples: list[Any]) -> None:
        operation = context.operation
        valid = bodies.get(operation.label)
        names = PATH_PARAMETER.findall(operation.path)
        if valid is None or not all(ids.get(name) for name in names):
            return
        path = {name: ids[name][0] for name in names}
        media_type = next(iter(operation.body)).media_type
        examples.extend(operation.Case(path_parameters=path, body=body, media_type=media_type,
                                       headers=dict(target.headers))
                        for body in _at_the_edges(valid))

    @schema.hook("flatmap_path_parameters")
    def real_ids_in_paths(context: Any, path_parameters: dict[str, Any]) -> Any:
        return _some_seeded(ids, path_parameters)

    @schema.hook("flatmap_query")
    def real_ids_in_queries(context: Any, query: dict[str, Any]) -> Any:
        return _some_seeded(ids, query)

    @schema.hook("flatmap_body")
    def valid_bodies_with_generated_fields(context: Any, body: Any) -> Any:
        valid = bodies.get(context.operation.label)
        if valid is None or not isinstance(body, dict) or not body:
            return _some_seeded(ids, body)
        spliced = _spliced(valid, body)  # three times in four: past the service's rules
        return st.one_of(spliced, spliced, spliced, _some_seeded(ids, body))

    return schema
