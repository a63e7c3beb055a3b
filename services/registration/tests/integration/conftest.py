import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import service_runtime
from registration.bootstrap import build
from registration.config import RegistrationSettings


def registration_runtime(database_url: str, kafka_bootstrap: str):  # type: ignore[no-untyped-def]
    return service_runtime(build, RegistrationSettings, database_url, kafka_bootstrap)


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    with registration_runtime(database_url, kafka_bootstrap) as runtime:
        yield runtime


@pytest.fixture
def client(runtime):
    with TestClient(runtime.create_app()) as client:
        yield client
