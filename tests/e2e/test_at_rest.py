"""Nothing a person tells is readable at rest, against the real stack: a youth names a safe
person, that person's number and a place to go over signed SMS, thinks a plan through with the
helper and asks in several ways to be sent it, then writes crisis words and asks for a person
(an urgent handoff); no outbound message (TwiML or REST) holds a plan answer; afterwards no
file under the data directory (both databases with their WAL and journal files, the logs of
the three processes) holds any of it or the number in clear, every file there is its owner's
only, and EXIT erases the conversation from Rasa's tracker store and the plan."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from scripts.stack import Stack
from tests.e2e.conftest import Phone

NUMBER = "+17025550161"
# Words nobody else in the suite uses, so a hit can only come from this conversation.
TOLD = (
    "my safe person is my aunt Tiaraquinn, her number is 702-555-0163",
    "if i have to leave i can go to the Zanzibarre Library on 5th",
)
# Thinking a plan through (consent, keep the answers, not in danger now, then three answers).
PLAN = (
    "can u help me make a safety plan",
    "1",
    "1",
    "no",
    "my cousin Quillabeth 702-555-0164",
    "skip",
    "my Wrenfield backpack with my birth certificate",
)
ASKS = ("text me my plan", "what did i say?", "mandame mi plan porfa",
        "can i get a copy of my answers")  # fmt: skip
AFTER = (
    "i want to die, dont tell Tiaraquinn",  # the crisis safety net, an urgent handoff
    "can i talk to a real person about Zanzibarre",  # a handoff asked for
)
PLAN_MARKS = ("Quillabeth", "555-0164", "5550164", "Wrenfield")
MARKS = ("Tiaraquinn", "555-0163", "5550163", "Zanzibarre", "5550161", *PLAN_MARKS)


def _files(var: Path) -> list[Path]:
    return [p for p in var.rglob("*") if p.is_file()]


def _found(var: Path) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for path in _files(var):
        data = path.read_bytes()
        for mark in MARKS:
            if mark.encode() in data or mark.lower().encode() in data:
                hits.setdefault(mark, []).append(path.name)
    return hits


def _tracker(stack: Stack) -> sqlite3.Connection:
    return sqlite3.connect(Path(stack.config.var_dir, "rasa_tracker.db"), timeout=15)


def _last_event_id(stack: Stack) -> int:
    with closing(_tracker(stack)) as db:
        return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])


def _events_of(stack: Stack, sender: str) -> int:
    with closing(_tracker(stack)) as db:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ?"
        return int(db.execute(query, (sender,)).fetchone()[0])


def _plans_of(stack: Stack, sender: str) -> int:
    with closing(sqlite3.connect(Path(stack.config.var_dir, "gateway.db"), timeout=15)) as db:
        query = "SELECT COUNT(*) FROM safety_plans WHERE conversation_id = ?"
        return int(db.execute(query, (sender,)).fetchone()[0])


def test_what_a_youth_tells_is_in_no_file_in_clear_and_exit_erases_it(stack: Stack) -> None:
    phone = Phone(stack, NUMBER)
    start = _last_event_id(stack)
    for text in TOLD:
        assert phone.send(text), text  # every message gets an answer
    got = [" ".join(phone.send(text)) for text in PLAN]
    assert "one question at a time" in got[0] and "Where" not in got[0]
    assert got[-1].startswith("Who could you tell")
    for ask in ASKS:
        (refusal, *_) = phone.send(ask)
        assert refusal.startswith(("I don't send your answers", "No mando tus respuestas")), ask
        got.append(refusal)
    for text in AFTER:
        assert phone.send(text), text
    rest = stack.fake_twilio.bodies_to(NUMBER)  # type: ignore[attr-defined]
    sent = " ".join([*got, *rest])
    assert [m for m in PLAN_MARKS if m in sent] == []  # no TwiML, no REST message holds them
    with closing(_tracker(stack)) as db:
        rows = db.execute("SELECT DISTINCT sender_id FROM events WHERE id > ?", (start,)).fetchall()
    senders = {r[0] for r in rows}
    assert len(senders) == 1, senders
    (sender,) = senders
    assert _events_of(stack, sender) > 0
    var = Path(stack.config.var_dir)
    assert len(_files(var)) >= 4  # two databases and the logs, at least
    assert _found(var) == {}
    readable = [f"{p.name} {p.stat().st_mode & 0o777:o}" for p in _files(var)
                if p.stat().st_mode & 0o077]  # fmt: skip
    assert readable == []  # every data file is its owner's only

    assert _plans_of(stack, sender) == 1  # kept, as she agreed
    assert phone.send("EXIT") == []
    deadline = time.monotonic() + 20
    while _events_of(stack, sender) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _events_of(stack, sender) == 0
    assert _found(var) == {}
    assert _plans_of(stack, sender) == 0  # the plan went with EXIT
