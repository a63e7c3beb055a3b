import uuid

import pytest


@pytest.fixture
def prefix() -> str:
    """A fresh event-type prefix, so each test has its own topic on the shared broker."""
    return f"t{uuid.uuid4().hex[:10]}"
