"""Every event type has a golden sample; every consumer handles the samples it subscribes to.

The samples in samples/ are the published form of each contract. A producer change that breaks
one fails here; a consumer that cannot apply a sample of a type it handles fails here too.
"""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from berdaya_shared.db import transaction
from berdaya_shared.events import Envelope
from berdaya_shared.events.catalogue import CONTRACTS, asyncapi, render
from berdaya_shared.testing import migrated

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).resolve().parents[2]


def consumers():  # type: ignore[no-untyped-def]
    from marketplace.bootstrap import build as marketplace
    from marketplace.config import MarketplaceSettings
    from monitoring.bootstrap import build as monitoring
    from monitoring.config import MonitoringSettings
    from training.bootstrap import build as training
    from training.config import TrainingSettings

    return {"training": (training, TrainingSettings), "monitoring": (monitoring, MonitoringSettings),
            "marketplace": (marketplace, MarketplaceSettings)}


def sample(event_type: str) -> Envelope:
    return Envelope.model_validate_json((SAMPLES / f"{event_type}.json").read_text())


def test_every_event_type_has_a_golden_sample_that_parses():
    assert {p.stem for p in SAMPLES.glob("*.json")} == set(CONTRACTS)
    for event_type, model in CONTRACTS.items():
        envelope = sample(event_type)
        assert envelope.type == event_type and envelope.specversion == "1.0"
        model.model_validate(envelope.data)


def test_readers_ignore_unknown_fields():
    for event_type, model in CONTRACTS.items():
        data = {**sample(event_type).data, "added_in_a_later_minor_version": 1}
        assert model.model_validate(data).model_dump(mode="json") == \
            model.model_validate(sample(event_type).data).model_dump(mode="json")


def test_no_contract_carries_nik_or_kk():
    for model in CONTRACTS.values():
        names = set(model.model_fields)
        assert not names & {"nik", "kk", "kk_number", "no_kk"}, model


def test_event_catalogue_and_asyncapi_documents_are_current():
    assert (ROOT / "docs" / "events.md").read_text() == render(), \
        "docs/events.md is stale: run `make docs`"
    assert (ROOT / "docs" / "asyncapi.json").read_text() == asyncapi(), \
        "docs/asyncapi.json is stale: run `make docs`"


@pytest.mark.parametrize("service", ["training", "monitoring", "marketplace"])
def test_each_consumer_applies_the_samples_it_subscribes_to(service, tmp_path, kafka_bootstrap):
    build, settings_cls = consumers()[service]
    runtime = migrated(build(settings_cls(database_url=f"sqlite:///{tmp_path}/{service}.db",
                                          kafka_bootstrap_servers=kafka_bootstrap,
                                          environment="test")))
    handlers = runtime.consumer.handlers
    assert handlers, f"{service} subscribes to nothing"
    for event_type, handler in handlers.items():
        assert event_type in CONTRACTS, f"{service} handles an unknown type {event_type}"
        with transaction(runtime.sessions) as session:
            handler(session, sample(event_type))
    with runtime.engine.connect() as conn:
        changed = sum(conn.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in runtime.metadata.sorted_tables if t.name not in ("inbox",))
    assert changed > 0, f"{service} applied its samples without any effect"
    runtime.engine.dispose()
