"""structlog JSON logging: one event per line, ids bound through contextvars.

HTTP middleware binds ``request_id`` and ``correlation_id``; the consumer runner binds
``event_id``, ``event_type``, ``correlation_id`` and ``consumer``. Every log line written while
they are bound carries them. Personal identifiers (NIK, KK) are never passed to a logger; the
``redact_identifiers`` processor is a last line of defence that masks any 16-digit number.
"""

import logging
import re
import sys
from typing import Any

import structlog
from structlog.contextvars import bind_contextvars, bound_contextvars, clear_contextvars, get_contextvars

__all__ = ["configure_logging", "get_logger", "bind_contextvars", "bound_contextvars",
           "clear_contextvars", "get_contextvars", "correlation_id"]

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def redact_identifiers(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str) and _SIXTEEN_DIGITS.search(value):
            event_dict[key] = _SIXTEEN_DIGITS.sub("[redacted-16-digits]", value)
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_identifiers,
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=False,
    )
    # Libraries (uvicorn, aiokafka, alembic) log through stdlib: render them as JSON too.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.JSONRenderer()],
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in ("uvicorn.error", "alembic"):
        logging.getLogger(name).setLevel(level.upper())
    logging.getLogger("uvicorn.access").disabled = True  # our middleware logs each request
    bind_contextvars(service=service)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)


def correlation_id() -> str | None:
    return get_contextvars().get("correlation_id")
