"""The one command line every service shares: ``python -m <service> <role>``.

Roles: ``api``, ``consumer``, ``relay``, ``jobs`` (separate processes in production),
``all`` (migrate, then every role in one process: local use), ``migrate``,
``revision -m MESSAGE`` (autogenerate a migration against the configured database).

Operations: ``dlq list [--limit N]`` shows what the service's consumer dead-lettered, with the
error; ``dlq replay (--all | --offset TOPIC:PARTITION:OFFSET ...)`` re-publishes it to the
original topic once the cause is fixed (``inbox/dlq.py``).
"""

import argparse
import asyncio
import getpass
from collections.abc import Callable
from typing import TypeVar

from .inbox import dlq
from .logging import configure_logging, get_logger
from .migrations import new_revision, upgrade
from .runtime import ServiceRuntime, run_roles
from .settings import ServiceSettings

ROLES = ("api", "consumer", "relay", "jobs")

S = TypeVar("S", bound=ServiceSettings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="role", required=True, metavar="command")
    for role, text in (("api", "serve the HTTP API"), ("consumer", "consume events"),
                       ("relay", "publish the outbox"), ("jobs", "run periodic jobs"),
                       ("all", "migrate, then every role in one process (local use)"),
                       ("migrate", "apply the migrations")):
        commands.add_parser(role, help=text)
    commands.add_parser("revision", help="autogenerate a migration").add_argument(
        "-m", "--message", default="change")
    dlq_parser = commands.add_parser("dlq", help="list or replay dead-lettered messages")
    actions = dlq_parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list").add_argument("--limit", type=int, default=50,
                                            help="show the newest N (default 50)")
    replay = actions.add_parser("replay").add_mutually_exclusive_group(required=True)
    replay.add_argument("--all", action="store_true", help="every dead letter not replayed before")
    replay.add_argument("--offset", nargs="+", type=_position, metavar="TOPIC:PARTITION:OFFSET",
                        help="these dead letters, as `dlq list` prints them")
    return parser


def _position(text: str) -> str:
    try:
        return dlq.parse_position(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def main(*, settings_cls: type[S], build: Callable[[S], ServiceRuntime],
         argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = settings_cls()
    # dlq prints a report for a person on stdout: only warnings and errors are logged there
    configure_logging(settings.service_name, "WARNING" if args.role == "dlq" else settings.log_level)
    runtime = build(settings)
    log = get_logger(__name__)
    if args.role == "dlq":
        asyncio.run(_dlq(runtime, args))
        return
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


async def _dlq(runtime: ServiceRuntime, args: argparse.Namespace) -> None:
    consumer = runtime.consumer
    if consumer is None:
        print(f"{runtime.settings.service_name} consumes no events: nothing is dead-lettered.")
        return
    bootstrap, group, topics = runtime.settings.kafka_bootstrap_servers, consumer.name, consumer.topics
    if args.action == "list":
        letters = await dlq.dead_letters(bootstrap=bootstrap, group=group, topics=topics)
        shown = letters[-args.limit:] if args.limit > 0 else []
        print(f"{len(letters)} dead-lettered by {consumer.name} "
              f"({sum(d.replayed for d in letters)} replayed); showing {len(shown)}")
        for d in shown:
            print(f"{d.position}  {d.dead_lettered_at:%Y-%m-%d %H:%M:%S}Z  {d.event_type}  "
                  f"event {d.event_id}  from {d.original_position}"
                  f"{'  [replayed]' if d.replayed else ''}\n    error: {d.error}")
        return
    summary = await dlq.replay(bootstrap=bootstrap, group=group, topics=topics,
                               positions=None if args.all else args.offset, by=_operator())
    for d in summary.replayed:
        print(f"replayed {d.position} -> {d.original_topic}  {d.event_type}  event {d.event_id}")
    print(f"{len(summary.replayed)} replayed, {len(summary.skipped)} skipped (replayed before)"
          + (f", not found: {' '.join(summary.unknown)}" if summary.unknown else ""))
    if summary.unknown:
        raise SystemExit(1)


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
