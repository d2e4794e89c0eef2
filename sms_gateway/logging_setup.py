"""Structured logs that never hold a message text or a phone number (non-negotiable 4).

Only an allow-list of keys is kept in each event: anything else (a body, a From number) is
dropped before rendering, so a careless log call cannot leak it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

SAFE_KEYS = frozenset(
    {
        "event",
        "level",
        "timestamp",
        "logger",
        "conversation",
        "channel",
        "status",
        "reason",
        "duration_ms",
        "categories",
        "count",
        "path",
        "code",
        "part",
        "state",
        "port",
        "attempt",
        "error",
        "replayed",
        "keyword",
        "messages",
    }
)


def _drop_unsafe_keys(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> Mapping[str, Any]:
    return {k: v for k, v in event.items() if k in SAFE_KEYS}


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(format="%(message)s", level=level.upper())
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_unsafe_keys,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
    # uvicorn's access log prints query strings and client addresses; the gateway logs its own
    # requests without them.
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
