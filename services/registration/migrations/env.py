from berdaya_shared.migrations import run_env
from registration.adapters.tables import metadata

run_env(metadata)
