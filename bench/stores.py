"""What the relay and consumer benchmarks share: running one measurement per store."""

import tempfile
from collections.abc import Callable

from berdaya_shared.testing.plugin import scratch_database


def on_each_store(measure: Callable[[str], float], *, postgres: str | None) -> dict[str, float]:
    """``measure(url)`` on a fresh SQLite file, then, given an admin URL (…/postgres), on a
    scratch PostgreSQL database created and dropped around it. Returns the result per store."""
    results = {"sqlite": measure(f"sqlite:///{tempfile.mkdtemp()}/bench.db")}
    if postgres:
        with scratch_database(postgres) as url:
            results["postgresql"] = measure(url)
    return results
