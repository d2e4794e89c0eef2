"""Rasa's tracker store keeps every text a person sent; the retention purge reaches it too.

Against the real stack: a conversation is aged past RETENTION_DAYS in Rasa's own SQLite tracker
database, then the operator's command (`python -m sms_gateway.retention`) runs as a process.
The old conversation's events are gone, a recent one is untouched, and the person who texts
again is answered as usual."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

from scripts.stack import GATEWAY_PYTHON, ROOT, Stack
from tests.e2e.conftest import Phone, log_text

DAY = 24 * 3600


def _tracker(stack: Stack) -> sqlite3.Connection:
    return sqlite3.connect(Path(stack.config.var_dir, "rasa_tracker.db"), timeout=15)


def _last_event_id(stack: Stack) -> int:
    with closing(_tracker(stack)) as db:
        return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])


def _senders_after(stack: Stack, event_id: int) -> set[str]:
    with closing(_tracker(stack)) as db:
        rows = db.execute("SELECT DISTINCT sender_id FROM events WHERE id > ?", (event_id,))
        return {row[0] for row in rows}


def _count(stack: Stack, sender: str) -> int:
    with closing(_tracker(stack)) as db:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ?"
        return int(db.execute(query, (sender,)).fetchone()[0])


def test_old_conversations_are_purged_from_rasas_tracker_store(stack: Stack) -> None:
    old_phone, recent_phone = Phone(stack, "+17025550198"), Phone(stack, "+17025550199")
    start = _last_event_id(stack)
    old_phone.send("i need a shelter in reno")
    (old_sender,) = _senders_after(stack, start)
    middle = _last_event_id(stack)
    recent_phone.send("hi")
    (recent_sender,) = _senders_after(stack, middle)
    assert old_sender != recent_sender and _count(stack, old_sender) > 0
    with closing(_tracker(stack)) as db, db:
        db.execute(
            "UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?",
            (31 * DAY, old_sender),
        )
    old_events = _count(stack, old_sender)

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{stack.config.var_dir / 'gateway.db'}",
            "RASA_TRACKER_URL": f"sqlite:///{stack.config.var_dir / 'rasa_tracker.db'}",
            "RETENTION_DAYS": "30",
            "PYTHONPATH": str(ROOT),
        }
    )
    done = subprocess.run(
        [str(GATEWAY_PYTHON), "-m", "sms_gateway.retention"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    purged = dict(pair.split("=") for pair in done.stdout.split() if "=" in pair)
    assert int(purged["rasa_tracker_events"]) >= old_events
    assert _count(stack, old_sender) == 0
    assert _count(stack, recent_sender) > 0

    # The person whose old conversation was purged texts again and gets a normal answer.
    assert old_phone.send("hi")[0].startswith("Hi, this is Waypoint")
    assert _count(stack, old_sender) > 0


def test_the_gateway_purges_the_tracker_store_on_its_own(stack: Stack) -> None:
    deadline = time.monotonic() + 30  # the first hourly purge runs 5 s after start
    while "retention.purged" not in log_text(stack) and time.monotonic() < deadline:
        time.sleep(0.5)
    logs = log_text(stack)
    assert "retention.purged" in logs
    assert "retention.failed" not in logs
    assert "retention.tracker_not_configured" not in logs
