"""``python -m monitoring {api|consumer|relay|jobs|all|migrate}``."""

from berdaya_shared.cli import main

from .bootstrap import build
from .config import MonitoringSettings


def run() -> None:
    main(settings_cls=MonitoringSettings, build=build)


if __name__ == "__main__":
    run()
