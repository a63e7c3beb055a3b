from berdaya_shared.migrations import run_env
from monitoring.adapters.tables import metadata

run_env(metadata)
