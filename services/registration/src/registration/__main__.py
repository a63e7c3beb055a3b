"""``python -m registration {api|consumer|relay|jobs|all|migrate}``."""

from berdaya_shared.cli import main
from berdaya_shared.runtime import ServiceRuntime
from berdaya_shared.settings import ServiceSettings

from .bootstrap import build
from .config import RegistrationSettings


def _build(settings: ServiceSettings) -> ServiceRuntime:
    assert isinstance(settings, RegistrationSettings)  # main() builds it from settings_cls
    return build(settings)


def run() -> None:
    main(settings_cls=RegistrationSettings, build=_build)


if __name__ == "__main__":
    run()
