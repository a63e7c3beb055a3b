import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import migrated
from training.bootstrap import build
from training.config import TrainingSettings


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    settings = TrainingSettings(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap,
                                environment="test")
    runtime = migrated(build(settings))
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def client(runtime):
    with TestClient(runtime.create_app()) as client:
        yield client
