"""Keeps message texts out of the Rasa server's and the action server's logs, at every level.

Rasa logs what people wrote in several places: its REST channel's timeout error carries the
message text (`rest.message.received.timeout`, text=...), its debug logs quote the message and
its entities, and an exception may quote a value. Loaded by Rasa and rasa_sdk through
`--logging-config-file scripts/rasa_logging.yml` (scripts/stack.py), this module installs a log
record factory, so every record of every logger passes through `redact` before any handler
(coloredlogs replaces Rasa's handlers; a record factory cannot be replaced that way):

- structured (JSON) events keep only an allow-list of keys; any other value, `text` included,
  becomes "[redacted]";
- debug and info lines of the assistant's own modules are withheld (they quote messages), except
  from a few modules known to quote none (start-up, model loading, the server itself);
- everything else has its quoted strings and its traceback's quoted strings redacted.

Standard library only: it runs in the Rasa environment (Python 3.10) as well.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from typing import Any

SAFE_KEYS = frozenset(
    {
        "event",
        "event_key",
        "event_info",
        "level",
        "log_level",
        "timestamp",
        "sender_id",
        "action_name",
        "policy_name",
        "confidence",
        "model",
        "model_id",
        "status",
        "duration",
    }
)
# Loggers whose debug/info lines never quote what a person wrote.
QUIET_SAFE = (
    "rasa.core.run",
    "rasa.server",
    "rasa.model",
    "rasa.api",
    "rasa.cli",
    "rasa.telemetry",
    "rasa_sdk.endpoint",
    "rasa_sdk.executor",
    "sanic",
    "root",
)
ASSISTANT = ("rasa", "rasa_sdk", "sanic", "root", "bot")
_QUOTED = re.compile(r"(?<!File )(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
REDACTED = "[redacted]"


def _redact_quotes(text: str) -> str:
    return _QUOTED.sub(f"'{REDACTED}'", text)


def _redact_json(text: str) -> str | None:
    try:
        event = json.loads(text)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    return json.dumps({k: (v if k in SAFE_KEYS else REDACTED) for k, v in event.items()})


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """The record, with nothing a person wrote left in its message or traceback."""
    if record.args and record.name.startswith(ASSISTANT):
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        record.args = tuple(REDACTED if isinstance(a, str) else a for a in args)
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep nothing of it
        message = str(record.msg)
    stripped = message.strip()
    structured = _redact_json(stripped) if stripped.startswith("{") else None
    if structured is not None:
        message = structured
    elif record.levelno < logging.WARNING and record.name.startswith(ASSISTANT):
        if not record.name.startswith(QUIET_SAFE):
            message = f"[{record.levelname.lower()} line of {record.name} withheld]"
    else:
        message = _redact_quotes(message)
    record.msg, record.args = message, ()
    if record.exc_info and record.exc_info[0] is not None:
        formatted = "".join(traceback.format_exception(*record.exc_info))
        record.exc_text = _redact_quotes(formatted)
        record.exc_info = None
    if record.stack_info:
        record.stack_info = _redact_quotes(record.stack_info)
    return record


class NoMessageText(logging.Filter):
    """Also usable as a handler filter; the record factory has done the work already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "_waypoint_redacted", False):
            redact(record)
        return True


def install() -> NoMessageText:
    """Called by logging.config.dictConfig (the `()` of a filter): puts `redact` in front of
    every log record this process creates from now on, and returns the handler filter."""
    previous = logging.getLogRecordFactory()
    if not getattr(previous, "_waypoint", False):

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = redact(previous(*args, **kwargs))
            record._waypoint_redacted = True  # type: ignore[attr-defined]
            return record

        factory._waypoint = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
    return NoMessageText()
