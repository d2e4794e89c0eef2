"""Rasa's and the action server's logs never hold a message text, at any level: the logging
configuration both load (scripts/rasa_logging.yml) redacts every record before any handler.
The e2e fault suite greps every real log as well (tests/e2e/test_faults.py)."""

from __future__ import annotations

import io
import logging
import logging.config
from pathlib import Path

import pytest
import yaml

from scripts.rasa_log_privacy import redact

ROOT = Path(__file__).resolve().parents[1]
TEXT = "my name is Alexandra and I live at 12 Elm Street"


def record(name: str, level: int, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR])
def test_rasa_rest_timeout_event_loses_its_text(level):
    # What rasa/core/channels/rest.py logs when the gateway gives up on it.
    message = f'{{"event": "rest.message.received.timeout", "text": "{TEXT}", "level": "error"}}'
    out = redact(record("rasa.core.channels.rest", level, message)).getMessage()
    assert "Alexandra" not in out and "rest.message.received.timeout" in out


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO])
def test_debug_lines_that_quote_the_message_are_withheld(level):
    out = redact(
        record("rasa.core.processor", level, f"Received user message '{TEXT}'")
    ).getMessage()
    assert "Alexandra" not in out


def test_warnings_and_tracebacks_lose_quoted_values_and_arguments():
    out = redact(record("rasa.core.actions", logging.WARNING, "Slot %s got '%s'", "x", TEXT))
    assert "Alexandra" not in out.getMessage()
    try:
        raise ValueError(f"bad value '{TEXT}'")
    except ValueError:
        import sys

        rec = record("rasa_sdk.executor", logging.ERROR, "failed")
        rec.exc_info = sys.exc_info()
    redacted = redact(rec)
    assert redacted.exc_text and "Alexandra" not in redacted.exc_text
    assert "ValueError" in redacted.exc_text


def test_the_configuration_file_installs_it_for_every_logger(monkeypatch):
    stream = io.StringIO()
    config = yaml.safe_load((ROOT / "scripts" / "rasa_logging.yml").read_text())
    config["handlers"]["console"]["stream"] = stream
    previous = logging.getLogRecordFactory()
    try:
        logging.config.dictConfig(config)
        logger = logging.getLogger("rasa.core.channels.rest")
        logger.error(f'{{"event": "rest.message.received.timeout", "text": "{TEXT}"}}')
        logging.getLogger("some.library").warning("quoted '%s'", TEXT)
    finally:
        logging.setLogRecordFactory(previous)
        logging.getLogger().handlers.clear()
    assert "rest.message.received.timeout" in stream.getvalue()
    assert "Alexandra" not in stream.getvalue()
