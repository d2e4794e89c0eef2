"""Fault injection with the real processes, each fault during live conversations: Rasa killed,
Rasa frozen, the action server killed, the database locked, the Twilio API failing and slow,
the gateway restarted in the middle of turns.

Every inbound message gets a 200 and a safe reply (or the crisis reply) within its deadline;
none is lost (each is stored with a final status) or answered twice; service resumes after
each fault. At the end every log of the three processes is grepped: no message text, no number.

This suite has its own stack (so the shared one stays healthy for the other tests) with late
answers allowed for 4 s, which keeps a message's lease, and so recovery, short.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from resources.replies import render
from scripts.stack import ROOT, Stack, StackConfig
from tests.e2e.conftest import AUTH_TOKEN, PUBLIC, Phone
from tests.helpers import FakeTwilioApi, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.disruptive]
DEADLINE = 6.0
MARGIN = 1.5  # the network, the signature, a loaded machine
SECRET = "Quillfeather"  # in every message: must never show up in a log
# The safe reply, as its first words (resources/data/replies.yml safe_reply).
SAFE_START = render("safe_reply")[:40]


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not (ROOT / "models" / "waypoint.tar.gz").exists():
        pytest.fail("no trained model: run `make test` (it trains first)")
    fake = FakeTwilioApi().start()
    var = tmp_path_factory.mktemp("faults")
    config = StackConfig(
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        var_dir=var,
        extra_env={
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "PUBLIC_BASE_URL": PUBLIC,
            "DATABASE_URL": f"sqlite:///{var / 'gateway.db'}",
            "HELPLINE_ENV": "test",
            "RASA_TIMEOUT_SECONDS": str(DEADLINE),
            "LATE_ANSWER_SECONDS": "4",
            "TWILIO_API_BASE_URL": fake.url,
            "OUTBOUND_BACKOFF_SECONDS": "0.2",
            "OUTBOUND_MAX_ATTEMPTS": "8",
            "SMS_RATE_PER_NUMBER": "1000/minute",
        },
    )
    stack = Stack(config)
    stack.fake_twilio = fake  # type: ignore[attr-defined]
    stack.start()
    try:
        stack.wait_healthy(timeout=float(os.environ.get("E2E_START_TIMEOUT", "300")))
        yield stack
    finally:
        stack.stop()
        fake.stop()


@dataclass
class Exchange:
    sid: str
    number: str
    body: str
    status: int
    seconds: float
    texts: list[str]


@dataclass
class Conversations:
    """People texting all along (a few phones, one message each about every half second)."""

    stack: Stack
    phones: int = 4
    log: list[Exchange] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _counter: int = 0

    def start(self, base: int) -> Conversations:
        for p in range(self.phones):
            phone = Phone(self.stack, f"+177555502{base + p:02d}")
            thread = threading.Thread(target=self._talk, args=(phone, base + p), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _talk(self, phone: Phone, p: int) -> None:
        bodies = [
            f"hi, my name is {SECRET}",
            f"i need a shelter in reno, {SECRET} here",
            f"what number can i call {SECRET}",
            f"im in danger right now, {SECRET}",
        ]
        i = p
        while not self._stop.is_set():
            body = bodies[i % len(bodies)]
            self._counter += 1
            sid = f"SM{p:02d}{self._counter:030d}"  # p: the phone, unique across the tests
            started = time.monotonic()
            try:
                response = phone.post(body, sid=sid, timeout=20)
                status, texts = response.status_code, _texts(response.text)
            except Exception:  # the gateway itself is down: not a 200
                status, texts = 0, []
            self.log.append(
                Exchange(sid, phone.number, body, status, time.monotonic() - started, texts)
            )
            i += 1
            time.sleep(0.5)

    def stop(self) -> list[Exchange]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        return self.log


def _texts(xml: str) -> list[str]:
    import xml.etree.ElementTree as ET

    return [m.text or "" for m in ET.fromstring(xml).iter("Message")]


def assert_safe_within_deadline(exchanges: list[Exchange]) -> None:
    assert exchanges, "the conversations went on during the fault"
    for e in exchanges:
        assert e.status == 200, e
        assert e.seconds < DEADLINE + MARGIN, e
        assert e.texts, e  # the assistant's answer, or the safe reply (911, 988, the hotline)
        if "danger" in e.body:
            assert e.texts[0].startswith("If you are in danger now, call 911"), e


def stored(stack: Stack) -> dict[str, str]:
    db = Path(stack.config.var_dir) / "gateway.db"
    with sqlite3.connect(db, timeout=30) as conn:
        return dict(conn.execute("SELECT external_id, status FROM inbound_messages"))


def assert_none_lost(stack: Stack, exchanges: list[Exchange], wait: float = 20.0) -> None:
    """Every message that reached the gateway is stored, and ends answered (not 'received')."""
    deadline = time.monotonic() + wait
    sids = {e.sid for e in exchanges if e.status == 200}
    while True:
        rows = stored(stack)
        missing = sids - rows.keys()
        open_ = [s for s in sids if rows.get(s) == "received"]
        if not missing and not open_:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"lost: {sorted(missing)[:3]}, unanswered: {open_[:3]}")
        time.sleep(0.5)


def assert_resumes(stack: Stack, number: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        texts = Phone(stack, number).twiml("hi")
        if texts and not texts[0].startswith(SAFE_START):
            return
        time.sleep(1)
    raise AssertionError("the assistant did not come back")


def wait_for_health(stack: Stack) -> None:
    stack.wait_healthy(timeout=240)


def test_rasa_killed(faulty):
    talk = Conversations(faulty).start(10)
    time.sleep(2)
    faulty.kill("rasa")
    time.sleep(6)
    during = [e for e in talk.log]
    faulty.restart("rasa")
    wait_for_health(faulty)
    exchanges = talk.stop()
    assert_safe_within_deadline(exchanges)
    assert any(e.texts[0].startswith(SAFE_START) for e in during[-6:]), "the fault was felt"
    assert_none_lost(faulty, exchanges)
    assert_resumes(faulty, "+17755550290")


def test_rasa_frozen(faulty):
    talk = Conversations(faulty).start(20)
    time.sleep(2)
    rasa = faulty.processes["rasa"]
    os.kill(rasa.pid, signal.SIGSTOP)
    try:
        time.sleep(10)
    finally:
        os.kill(rasa.pid, signal.SIGCONT)
    time.sleep(3)
    exchanges = talk.stop()
    assert_safe_within_deadline(exchanges)
    assert_none_lost(faulty, exchanges)
    assert_resumes(faulty, "+17755550291")


def test_action_server_killed(faulty):
    talk = Conversations(faulty).start(30)
    time.sleep(2)
    faulty.kill("actions")
    time.sleep(6)
    faulty.restart("actions")
    wait_for_health(faulty)
    exchanges = talk.stop()
    assert_safe_within_deadline(exchanges)
    assert_none_lost(faulty, exchanges)
    assert_resumes(faulty, "+17755550292")


def test_database_locked(faulty):
    talk = Conversations(faulty).start(40)
    time.sleep(2)
    db = sqlite3.connect(Path(faulty.config.var_dir) / "gateway.db", timeout=30)
    db.execute("BEGIN EXCLUSIVE")  # nobody else can write for 8 s
    try:
        time.sleep(8)
    finally:
        db.rollback()
        db.close()
    time.sleep(3)
    exchanges = talk.stop()
    assert_safe_within_deadline(exchanges)
    assert_none_lost(faulty, exchanges, wait=40)
    assert_resumes(faulty, "+17755550293")


def test_twilio_failing_then_slow(faulty):
    fake: FakeTwilioApi = faulty.fake_twilio  # type: ignore[attr-defined]
    talk = Conversations(faulty).start(50)
    fake.fail = True  # the assistant's parts after crisis texts cannot leave
    time.sleep(5)
    fake.fail, fake.delay = False, 3.0  # then Twilio answers, slowly
    time.sleep(6)
    fake.delay = 0.0
    exchanges = talk.stop()
    assert_safe_within_deadline(exchanges)
    assert_none_lost(faulty, exchanges)
    crisis = {e.number for e in exchanges if "danger" in e.body}

    def delivered() -> bool:
        with sqlite3.connect(Path(faulty.config.var_dir) / "gateway.db", timeout=30) as conn:
            queued = conn.execute(
                "SELECT COUNT(*) FROM later_replies WHERE delivery = 'queued'"
            ).fetchone()[0]
        return queued == 0

    deadline = time.monotonic() + 30
    while not delivered() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert delivered(), "the queued replies went out once Twilio was back"
    assert all(fake.bodies_to(n) for n in crisis)


def test_gateway_restarted_in_the_middle_of_turns(faulty):
    fake: FakeTwilioApi = faulty.fake_twilio  # type: ignore[attr-defined]
    rasa = faulty.processes["rasa"]
    numbers = [f"+177555502{60 + i:02d}" for i in range(3)]
    os.kill(rasa.pid, signal.SIGSTOP)  # turns now wait on the assistant...
    threads, before = [], {n: len(fake.bodies_to(n)) for n in numbers}
    try:
        for i, n in enumerate(numbers):
            phone = Phone(faulty, n)
            sid = f"SMrestart{i:024d}"
            t = threading.Thread(
                target=lambda p=phone, s=sid: _quietly(p, f"i need a place to stay {SECRET}", s),
                daemon=True,
            )
            t.start()
            threads.append(t)
        time.sleep(1.5)
        faulty.kill("gateway")  # ...when the gateway dies
    finally:
        os.kill(rasa.pid, signal.SIGCONT)
    faulty.restart("gateway")
    wait_for_health(faulty)
    for t in threads:
        t.join(timeout=5)
    deadline = time.monotonic() + 60  # each lease runs out; recovery answers by REST
    while time.monotonic() < deadline and not all(
        len(fake.bodies_to(n)) > before[n] for n in numbers
    ):
        time.sleep(0.5)
    time.sleep(12)  # another recovery round: nothing is answered twice
    for n in numbers:
        later = fake.bodies_to(n)[before[n] :]
        assert later, f"{n[-2:]} never got its answer"
        assert len(later) == len(set(later)), later
    rows = stored(faulty)
    assert all(rows[f"SMrestart{i:024d}"] != "received" for i in range(3))
    assert_resumes(faulty, "+17755550294")


def _quietly(phone: Phone, body: str, sid: str) -> None:
    try:
        phone.post(body, sid=sid, timeout=30)
    except Exception:
        return  # the gateway died under it: that is the point


def test_no_log_holds_a_message_text_or_a_number(faulty):
    """Last: every log of the three processes, after everything above."""
    logs = {
        p.name: p.read_text(errors="replace")
        for p in Path(faulty.config.var_dir, "logs").glob("*.log")
    }
    assert set(logs) >= {"gateway.log", "rasa.log", "actions.log"}
    for name, text in logs.items():
        assert SECRET not in text, name
        assert "shelter in reno" not in text, name
        assert not re.search(r"7755550\d{3}", text), name  # no phone number (the fakes)
