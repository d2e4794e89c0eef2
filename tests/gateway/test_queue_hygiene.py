"""Queue hygiene (issue 11): "Not now" to the offer of a person after crisis words takes the item
out of the urgent lane (it stays in the queue, with the choice shown); a web chat that ends
(idle, or the tab closed, which forgets it like quick exit) ends its queue item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sms_gateway.models import WebConversation
from sms_gateway.services.webchat import token_hash
from tests.gateway.conftest import sms, wait_for
from tests.gateway.test_webchat import say, start

YOUTH = "+17755550181"


def _queue(stack, client):  # type: ignore[no-untyped-def]
    advocate = stack["console"](client, "ana")
    assert advocate.login().status_code == 200
    return client.get("/advocate/api/queue").json()["items"], advocate


def test_not_now_after_crisis_words_leaves_the_urgent_lane(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "I'm really glad you told me."}]
    first = sms(client, "im in danger right now he has a gun", YOUTH)
    assert first[0].startswith("If you are in danger now, call 911")
    items, _advocate = _queue(stack, client)
    assert [i["urgency"] for i in items] == ["urgent"]
    # the assistant's part (with the offer of a person) follows the crisis text by REST
    wait_for(lambda: any("2) Not now" in b for b in stack["twilio"].bodies_to(YOUTH)))
    stack["rasa"].reply = [{"text": "Okay. I'm here if you change your mind."}]
    sms(client, "not now", YOUTH)
    items = client.get("/advocate/api/queue").json()["items"]
    assert [i["urgency"] for i in items] == ["normal"]  # still there, not urgent
    detail = client.get(f"/advocate/api/handoffs/{items[0]['id']}").json()
    assert detail["summary"]["declined"].startswith("Said 'not now'")
    assert detail["reason"].startswith("safety_net:")


def test_a_plain_no_without_an_offer_changes_nothing(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi", YOUTH)
    sms(client, "no", YOUTH)
    items, _advocate = _queue(stack, client)
    assert items == []


def test_an_expired_web_chat_ends_its_queue_item(stack):
    client = stack["app"](web_idle_minutes=5)
    token = start(client)
    say(client, token, "im in danger right now")
    items, _advocate = _queue(stack, client)
    assert [(i["channel"], i["urgency"]) for i in items] == [("web", "urgent")]
    with client.app.state.sessions() as session:
        row = session.get(WebConversation, token_hash(token))
        row.last_seen_at = datetime.now(UTC) - timedelta(minutes=6)
        session.commit()
    assert client.app.state.webchat.expire_idle() == 1
    assert client.get("/advocate/api/queue").json()["items"] == []
    assert client.get(f"/advocate/api/handoffs/{items[0]['id']}").json()["status"] == "left"


def test_an_escalated_transcript_starts_with_what_came_before(stack):
    """Issue 11: the advocate reads the conversation from the start, the places and numbers the
    assistant gave included, not from "talk to a person" on; each message once."""
    from tests.gateway.test_handoff import HANDOFF

    client = stack["app"]()
    place = "Eddy House drop-in, 1-775-555-0100, open 9-5"
    stack["rasa"].reply = [{"text": place}]
    sms(client, "i need somewhere to go in reno", YOUTH)
    stack["rasa"].reply = HANDOFF
    sms(client, "can i talk to a real person", YOUTH)
    items, _advocate = _queue(stack, client)
    transcript = client.get(f"/advocate/api/handoffs/{items[0]['id']}").json()["transcript"]
    said = [(m["from"], m["text"]) for m in transcript]
    assert said[:2] == [("youth", "i need somewhere to go in reno"), ("bot", place)]
    assert said.count(("youth", "can i talk to a real person")) == 1
    assert said[2] == ("youth", "can i talk to a real person")
