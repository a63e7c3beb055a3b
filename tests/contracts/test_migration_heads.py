"""Every service's migrations end in one head: branches built side by side are merged before
they ship, so `migrate` and `alembic downgrade -1` mean one thing to an ops engineer."""

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from berdaya_shared.migrations import alembic_config

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["registration", "training", "monitoring", "marketplace"]


@pytest.mark.parametrize("service", SERVICES)
def test_one_head_per_service(service):
    scripts = ScriptDirectory.from_config(
        alembic_config("sqlite://", ROOT / "services" / service / "migrations"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
