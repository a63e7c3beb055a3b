"""``python -m training {api|consumer|relay|jobs|all|migrate}``."""

from berdaya_shared.cli import main

from .bootstrap import build
from .config import TrainingSettings


def run() -> None:
    main(settings_cls=TrainingSettings, build=build)


if __name__ == "__main__":
    run()
