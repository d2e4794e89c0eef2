"""With the Rasa server killed, and frozen, the webhook still answers 200 with the safe reply
within 10 seconds (issue: foundation)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.e2e.conftest import Phone

pytestmark = pytest.mark.disruptive


def _safe(texts: list[str]) -> None:
    assert texts, "a reply is always sent"
    assert "911" in texts[0] and "988" in texts[0] and "1-888-373-7888" in texts[0]


def test_rasa_frozen_still_gets_the_safe_reply(stack, phone: Phone):
    rasa = stack.processes["rasa"]
    os.kill(rasa.pid, signal.SIGSTOP)  # accepts connections, never answers
    try:
        started = time.monotonic()
        texts = phone.send("i need a shelter in reno")
        elapsed = time.monotonic() - started
        crisis = phone.send("im in danger right now")
    finally:
        os.kill(rasa.pid, signal.SIGCONT)
    assert elapsed < 10
    _safe(texts)
    assert crisis[0].startswith("If you are in danger now, call 911")


def test_rasa_killed_still_gets_the_safe_reply(stack, phone: Phone):
    stack.kill("rasa")
    started = time.monotonic()
    texts = phone.send("hi")
    elapsed = time.monotonic() - started
    assert elapsed < 10
    _safe(texts)
    report = stack.health()
    assert report is not None and report["parts"]["rasa"] == "down"
    assert report["status"] == "degraded"
    spanish = phone.send("estoy en peligro")
    assert spanish[0].startswith("Si estas en peligro ahora, llama al 911")
