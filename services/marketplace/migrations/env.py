from berdaya_shared.migrations import run_env
from marketplace.adapters.tables import metadata

run_env(metadata)
