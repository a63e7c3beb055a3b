"""``python -m registration {api|consumer|relay|jobs|all|migrate}``."""

from berdaya_shared.cli import main

from .bootstrap import build
from .config import RegistrationSettings


def run() -> None:
    main(settings_cls=RegistrationSettings, build=build)


if __name__ == "__main__":
    run()
