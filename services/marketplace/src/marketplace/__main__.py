"""``python -m marketplace {api|consumer|relay|jobs|all|migrate}``."""

from berdaya_shared.cli import main

from .bootstrap import build
from .config import MarketplaceSettings


def run() -> None:
    main(settings_cls=MarketplaceSettings, build=build)


if __name__ == "__main__":
    run()
