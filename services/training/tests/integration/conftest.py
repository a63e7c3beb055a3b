import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import service_runtime
from training.bootstrap import build
from training.config import TrainingSettings


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    with service_runtime(build, TrainingSettings, database_url, kafka_bootstrap) as runtime:
        yield runtime


@pytest.fixture
def client(runtime):
    with TestClient(runtime.create_app()) as client:
        yield client
