"""The console's live stream as a security reviewer reads it (issue 11): it carries ids, never
a youth's words; the words come through the same role and claim checks as the conversation;
and what the console does on its own (polls, the stream) never keeps a session alive."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from sms_gateway.models import AdvocateSession
from tests.gateway.conftest import sms
from tests.gateway.test_handoff import HANDOFF

YOUTH = "+17755550164"
WORDS = "he took my phone and i am at the Quarrystone motel"


def _record(client) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every event the consoles' stream is given (what any signed-in console would receive)."""
    bus = client.app.state.escalations.handoffs.bus
    seen: list[dict[str, Any]] = []
    publish = bus.publish

    def recording(event: dict[str, Any]) -> int:
        seen.append(event)
        return int(publish(event))

    bus.publish = recording
    return seen


def test_the_stream_carries_ids_only_and_the_words_need_the_claim(stack):
    client, rasa = stack["app"](), stack["rasa"]
    ana, bo = stack["console"](client, "ana"), stack["console"](client, "bo")
    assert ana.login().status_code == 200
    ana.post("/advocate/api/shift", {"on_shift": True})
    events = _record(client)
    rasa.reply = HANDOFF
    sms(client, "can i talk to someone", YOUTH)
    (item,) = client.get("/advocate/api/queue").json()["items"]
    assert ana.post(f"/advocate/api/handoffs/{item['id']}/claim").status_code == 200
    sms(client, WORDS, YOUTH)
    sent = ana.post(f"/advocate/api/handoffs/{item['id']}/messages", {"text": "I'm here, Ana."})
    assert sent.status_code == 201
    streamed = json.dumps(events)
    assert "Quarrystone" not in streamed and "I'm here" not in streamed
    said = [e for e in events if e["type"] == "message"]
    assert said and all(set(e) == {"type", "handoff", "message_id", "from"} for e in said)
    assert {e["from"] for e in said} >= {"youth", "advocate"}

    first = min(e["message_id"] for e in said)
    path = f"/advocate/api/handoffs/{item['id']}/messages?after={first - 1}"
    texts = [m["text"] for m in client.get(path).json()["messages"]]
    assert WORDS in texts and "I'm here, Ana." in texts
    client.cookies.clear()
    assert bo.login().status_code == 200
    assert client.get(path).status_code == 403  # another advocate holds it: no words
    assert client.get(f"/advocate/api/handoffs/{item['id']}/messages?after=-1").status_code == 422


def test_polls_and_the_stream_do_not_keep_a_session_alive(stack):
    client = stack["app"]()
    ana = stack["console"](client, "ana", role="supervisor")  # who may see the recent list
    assert ana.login().status_code == 200
    sessions = client.app.state.sessions

    def idle_for(minutes: float) -> None:
        with sessions() as session:
            session.execute(
                update(AdvocateSession).values(
                    last_seen_at=datetime.now(UTC) - timedelta(minutes=minutes)
                )
            )
            session.commit()

    def last_seen() -> datetime:
        with sessions() as session:
            return session.query(AdvocateSession).one().last_seen_at

    idle_for(20)
    before = last_seen()
    for poll in ("/advocate/api/queue", "/advocate/api/recent", "/advocate/api/me"):
        assert client.get(poll).status_code == 200
    assert last_seen() == before  # the console asking by itself: not the advocate
    assert ana.post("/advocate/api/shift", {"on_shift": True}).status_code == 200
    assert last_seen() > before  # the advocate's own action
    idle_for(31)
    assert client.get("/advocate/api/queue").status_code == 401  # idle: the session ended
    assert client.app.state.auth.anyone_on_shift() is False  # and "on shift" with it
