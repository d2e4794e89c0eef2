"""Crisis words while an advocate holds the conversation (issue 11): the assistant does not talk
over the advocate; the handoff turns urgent everywhere; the youth's message is stored once; the
safety net's reply waits as the advocate's suggestion and leaves on its own only if the
advocate has not written in time; a person who left is sent nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sms_gateway.models import HandoffMessage
from sms_gateway.services.held_crisis import StandbyWorker
from tests.gateway.conftest import sms, wait_for
from tests.gateway.test_handoff import HANDOFF

YOUTH = "+17755550161"
DANGER = "hes back and he has a gun im scared"


def _held(stack, number: str, **settings: object):  # type: ignore[no-untyped-def]
    """A youth's SMS conversation that an advocate has claimed, the 'joined' notice sent."""
    client = stack["app"](**settings)
    advocate = stack["console"](client, "ana")
    assert advocate.login().status_code == 200
    stack["rasa"].reply = HANDOFF
    sms(client, "can i talk to a real person", number)
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim").status_code == 200
    wait_for(lambda: any("has joined" in b for b in stack["twilio"].bodies_to(number)))
    return client, advocate, handoff_id


def _transcript(client, handoff_id: int) -> list[dict]:  # type: ignore[no-untyped-def]
    return list(client.get(f"/advocate/api/handoffs/{handoff_id}").json()["transcript"])


def test_crisis_words_while_held_wait_for_the_advocate(stack):
    client, advocate, handoff_id = _held(stack, YOUTH)
    rasa_calls, sent = len(stack["rasa"].received), len(stack["twilio"].sent)

    assert sms(client, DANGER, YOUTH) == []  # no bot message over the advocate
    assert len(stack["rasa"].received) == rasa_calls

    transcript = _transcript(client, handoff_id)
    youth = [m for m in transcript if m["from"] == "youth" and m["text"] == DANGER]
    assert len(youth) == 1  # stored once
    standby = transcript[-1]
    assert standby["from"] == "safety_net" and standby["delivery"] == "standby"
    assert "911" in standby["text"] and standby["due"] > datetime.now(UTC).isoformat()
    queue = client.get("/advocate/api/queue").json()["items"]
    assert [(i["id"], i["urgency"]) for i in queue] == [(handoff_id, "urgent")]
    detail = client.get(f"/advocate/api/handoffs/{handoff_id}").json()
    assert detail["urgency"] == "urgent"

    reply = "I'm here. Are you somewhere you can call 911 right now?"
    posted = advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": reply})
    assert posted.status_code == 201
    wait_for(lambda: reply in stack["twilio"].bodies_to(YOUTH))
    cancelled = next(m for m in _transcript(client, handoff_id) if m["id"] == standby["id"])
    assert (cancelled["delivery"], cancelled["reason"]) == ("cancelled", "advocate_answered")
    # the advocate's reply is all the person got after the crisis words
    assert [m["Body"] for m in stack["twilio"].sent[sent:]] == [reply]


def test_unanswered_crisis_words_get_the_safety_net_reply(stack):
    client, _advocate, handoff_id = _held(stack, YOUTH, held_crisis_seconds=1)
    before = len(stack["twilio"].bodies_to(YOUTH))
    assert sms(client, DANGER, YOUTH) == []
    wait_for(lambda: len(stack["twilio"].bodies_to(YOUTH)) > before, timeout=10)
    assert "911" in stack["twilio"].bodies_to(YOUTH)[-1]
    standby = [m for m in _transcript(client, handoff_id) if m["from"] == "safety_net"]
    wait_for(lambda: _transcript(client, handoff_id)[-1]["delivery"] in ("sent", "delivered"))
    assert len(standby) == 1
    time.sleep(1.5)  # released once, never twice
    assert len(stack["twilio"].bodies_to(YOUTH)) == before + 1


def test_a_person_who_left_is_sent_no_safety_net_reply(stack):
    client, _advocate, handoff_id = _held(stack, YOUTH, held_crisis_seconds=1)
    assert sms(client, DANGER, YOUTH) == []
    before = len(stack["twilio"].bodies_to(YOUTH))
    sms(client, "EXIT", YOUTH)
    time.sleep(2.5)  # past the standby's time
    assert len(stack["twilio"].bodies_to(YOUTH)) == before
    standby = next(m for m in _transcript(client, handoff_id) if m["from"] == "safety_net")
    assert standby["delivery"] == "cancelled"


def test_the_worker_releases_a_due_standby_once(stack):
    """The worker on its own, with the clock moved on (not waited for): nothing before its time,
    then an SMS standby is queued for the outbound worker (woken), and never released twice."""
    client, _advocate, handoff_id = _held(stack, YOUTH)
    assert sms(client, DANGER, YOUTH) == []
    state = client.app.state
    with state.sessions() as session:
        row = session.scalar(select(HandoffMessage).where(HandoffMessage.delivery == "standby"))
        assert row is not None
        row_id = row.id
    pushed: list[tuple[str, str]] = []
    woken: list[bool] = []
    worker = StandbyWorker(
        state.sessions,
        state.escalations.handoffs._cipher,
        state.escalations.handoffs.bus,
        lambda: woken.append(True),
        lambda conversation, text: pushed.append((conversation, text)),
    )
    assert worker.release_due(datetime.now(UTC)) == 0  # not due yet
    later = datetime.now(UTC) + timedelta(seconds=120)
    # the outbound worker may take it at once: the standby is gone from the due list either way
    assert worker.release_due(later) == 1
    assert woken == [True] and pushed == []
    assert worker.release_due(later) == 0  # once
    with state.sessions() as session:
        assert session.get(HandoffMessage, row_id).delivery in ("queued", "sent", "delivered")
    assert handoff_id
