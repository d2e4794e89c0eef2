"""EXIT, STOP and quick exit end every handoff of that person at once: what was queued is
cancelled, an advocate's next send is refused with a clear message, the console sees that the
person left, nothing more reaches the local fake Twilio, and START does not reopen a handoff."""

from __future__ import annotations

import time

from sms_gateway.models import LaterReply
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.later_replies import queue_later_sms
from tests.gateway.conftest import sms, wait_for
from tests.gateway.test_handoff import HANDOFF

YOUTH = "+17755550122"


def _held_handoff(stack, number: str = YOUTH):  # type: ignore[no-untyped-def]
    client = stack["app"]()
    advocate = stack["console"](client, "ana")
    advocate.login()
    advocate.post("/advocate/api/shift", {"on_shift": True})
    stack["rasa"].reply = HANDOFF
    sms(client, "can i talk to a real person", number)
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim").status_code == 200
    wait_for(lambda: stack["twilio"].bodies_to(number))  # "a person has joined"
    return client, advocate, handoff_id


def _settled(twilio, number: str) -> int:  # type: ignore[no-untyped-def]
    """How many texts reached the fake Twilio once none came for 0.3 s (several worker polls)."""
    deadline = time.monotonic() + 5
    count = len(twilio.bodies_to(number))
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = len(twilio.bodies_to(number))
        if now == count:
            return count
        count = now
    raise AssertionError("the outbound worker kept sending")


def test_exit_during_a_held_handoff_silences_the_advocate(stack):
    client, advocate, handoff_id = _held_handoff(stack)
    twilio = stack["twilio"]
    assert (
        advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "Hi"}).status_code
        == 201
    )
    wait_for(lambda: "Hi" in twilio.bodies_to(YOUTH))
    before = len(twilio.bodies_to(YOUTH))

    assert sms(client, "EXIT", YOUTH) == []
    refused = advocate.post(
        f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "Still there?"}
    )
    assert refused.status_code == 410
    assert "left" in refused.json()["detail"] and "EXIT" in refused.json()["detail"]
    detail = client.get(f"/advocate/api/handoffs/{handoff_id}").json()
    assert detail["status"] == "left" and "left the chat" in detail["notice"]
    assert client.get("/advocate/api/queue").json()["items"] == []
    time.sleep(1.5)  # the outbound worker polls every second: it must still send nothing
    assert len(twilio.bodies_to(YOUTH)) == before
    for path in ("claim", "hand-back", "release"):
        assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/{path}").status_code == 410


def test_stop_cancels_what_was_queued_and_start_does_not_reopen(stack):
    stack["twilio"].fail = True  # Twilio is failing: the advocate's reply waits in the queue
    client, advocate, handoff_id = _held_handoff(stack, "+17755550123")
    advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "Are you ok?"})
    assert sms(client, "STOP", "+17755550123") == []
    stack["twilio"].fail = False
    # a retry the worker had already taken when STOP came may still land (a send in flight
    # cannot be called back): count once the worker's round is over, then nothing more
    sent = _settled(stack["twilio"], "+17755550123")
    time.sleep(1.5)
    assert len(stack["twilio"].bodies_to("+17755550123")) == sent  # retries stopped
    transcript = client.get(f"/advocate/api/handoffs/{handoff_id}").json()["transcript"]
    assert [m["delivery"] for m in transcript if m["from"] == "advocate"] == ["cancelled"]
    back = sms(client, "START", "+17755550123")
    assert back and "back on" in back[0]
    assert client.get(f"/advocate/api/handoffs/{handoff_id}").json()["status"] == "left"
    assert client.get("/advocate/api/queue").json()["items"] == []


def test_quick_exit_ends_a_web_handoff(stack):
    client = stack["app"]()
    advocate = stack["console"](client, "bea")
    advocate.login()
    stack["rasa"].reply = HANDOFF
    token = client.post("/chat/api/conversations").json()["conversation"]
    client.post(
        "/chat/api/messages", json={"text": "a person please"}, headers={"X-Chat-Token": token}
    )
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim")
    assert client.post("/chat/api/forget", json={"conversation": token}).status_code == 204
    refused = advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "hi"})
    assert refused.status_code == 410
    assert client.get(f"/advocate/api/handoffs/{handoff_id}").json()["status"] == "left"


def test_the_outbound_worker_never_sends_to_a_number_that_opted_out(stack):
    client = stack["app"]()
    assert sms(client, "STOP", "+17755550124") == []
    state = client.app.state
    conversation = state.sms_service.channel.conversation_of("+17755550124")
    with state.sessions() as session:
        # queued by anything at all (a late answer computed before the STOP, say)
        queue_later_sms(
            session,
            FieldCipher(state.settings.encryption_key),
            conversation,
            "+17755550124",
            ["a late answer"],
        )
        session.commit()
    state.outbound.wake()

    def cancelled() -> bool:
        with state.sessions() as session:
            return session.query(LaterReply).one().delivery == "cancelled"

    wait_for(cancelled)
    assert stack["twilio"].bodies_to("+17755550124") == []
