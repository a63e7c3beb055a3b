import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import migrated
from registration.bootstrap import build
from registration.config import RegistrationSettings


def build_runtime(database_url: str, kafka_bootstrap: str):  # type: ignore[no-untyped-def]
    settings = RegistrationSettings(database_url=database_url,
                                    kafka_bootstrap_servers=kafka_bootstrap, environment="test")
    return migrated(build(settings))


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    runtime = build_runtime(database_url, kafka_bootstrap)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def client(runtime):
    with TestClient(runtime.create_app()) as client:
        yield client
