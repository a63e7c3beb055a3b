"""The four services as real processes (``python -m <service> all``) on Kafka and PostgreSQL.

Each service gets a fresh PostgreSQL database and its own port (18001-18004, away from
`make run`). Monitoring schedules its first visit a day before graduation and checks every
second, so an overdue visit shows up within the test.
"""

from collections.abc import Iterator

import pytest

from berdaya_shared.testing.stack import RunningStack, services_running

SERVICES = {"registration": 18001, "training": 18002, "monitoring": 18003, "marketplace": 18004}


@pytest.fixture(scope="session")
def stack(kafka_bootstrap: str, postgres_admin_url: str, tmp_path_factory) -> Iterator[RunningStack]:
    with services_running(ports=SERVICES, kafka_bootstrap=kafka_bootstrap,
                          postgres_admin_url=postgres_admin_url,
                          logs=tmp_path_factory.mktemp("e2e-logs"),
                          env={"MONITORING_VISIT_OFFSETS_DAYS": "[-1, 30]",
                               "MONITORING_OVERDUE_CHECK_INTERVAL_S": "1"}) as running:
        yield running
