"""The one command line every service shares: ``python -m <service> <role>``.

Roles: ``api``, ``consumer``, ``relay``, ``jobs`` (separate processes in production),
``all`` (migrate, then every role in one process: local use), ``migrate``,
``revision -m MESSAGE`` (autogenerate a migration against the configured database).
"""

import argparse
import asyncio
from collections.abc import Callable

from .logging import configure_logging, get_logger
from .migrations import new_revision, upgrade
from .runtime import ServiceRuntime, run_roles
from .settings import ServiceSettings

ROLES = ("api", "consumer", "relay", "jobs")


def main(*, settings_cls: type[ServiceSettings],
         build: Callable[[ServiceSettings], ServiceRuntime], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=(*ROLES, "all", "migrate", "revision"))
    parser.add_argument("-m", "--message", default="change")
    args = parser.parse_args(argv)
    settings = settings_cls()
    configure_logging(settings.service_name, settings.log_level)
    runtime = build(settings)
    log = get_logger(__name__)
    if args.role == "revision":
        new_revision(settings.database_url, runtime.migrations, args.message)
        return
    if args.role in ("migrate", "all"):
        upgrade(settings.database_url, runtime.migrations)
        log.info("service.migrated")
        if args.role == "migrate":
            return
    roles = set(ROLES) if args.role == "all" else {args.role}
    asyncio.run(run_roles(runtime, roles))
