from berdaya_shared.migrations import run_env
from training.adapters.tables import metadata

run_env(metadata)
