import pytest
from fastapi.testclient import TestClient

from berdaya_shared.testing import service_runtime
from monitoring.bootstrap import build
from monitoring.config import MonitoringSettings

# The first visit falls due the day before graduation, so it is overdue at once.
OFFSETS = [-1, 30]


def monitoring_runtime(database_url: str, kafka_bootstrap: str):
    return service_runtime(build, MonitoringSettings, database_url, kafka_bootstrap,
                           visit_offsets_days=OFFSETS)


@pytest.fixture
def runtime(database_url, kafka_bootstrap):
    with monitoring_runtime(database_url, kafka_bootstrap) as runtime:
        yield runtime


@pytest.fixture
def client(runtime):
    with TestClient(runtime.create_app()) as client:
        yield client
