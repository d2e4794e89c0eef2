"""DELETE, as a youth would use it: "delete my data", one confirmation, and then nothing of the
conversation is left in any store (rows counted before and after), Twilio is asked to delete
its copies both ways, the advocate's console sees that the person left, and an old signed
request replayed afterwards is refused. Any other answer to the question keeps everything."""

from __future__ import annotations

from sqlalchemy import func, select

from sms_gateway.models import (
    AuditEvent,
    Contact,
    Handoff,
    HandoffMessage,
    InboundMessage,
    OfferedChoices,
    SafetyPlan,
)
from tests.gateway.conftest import AUTH_TOKEN, PUBLIC, messages, sms, wait_for
from tests.gateway.test_handoff import HANDOFF
from tests.helpers import sms_params, twilio_signature

YOUTH = "+17755550161"
STORES = (InboundMessage, OfferedChoices, Handoff, Contact)


def _rows(client, conversation_id: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with client.app.state.sessions() as session:
        counts = {
            m.__tablename__: int(
                session.scalar(
                    select(func.count()).select_from(m).where(m.conversation_id == conversation_id)  # type: ignore[attr-defined]
                )
            )
            for m in STORES
        }
        handoffs = select(Handoff.id).where(Handoff.conversation_id == conversation_id)
        counts["handoff_messages"] = int(
            session.scalar(
                select(func.count())
                .select_from(HandoffMessage)
                .where(HandoffMessage.handoff_id.in_(handoffs))
            )
        )
        return counts


def _signed(client, body: str, sid: str):  # type: ignore[no-untyped-def]
    params = sms_params(body, sender=YOUTH, sid=sid)
    sig = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    return client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": sig})


def test_delete_my_data_then_yes_erases_every_store_and_twilios_copies(stack):
    client = stack["app"]()
    twilio, rasa = stack["twilio"], stack["rasa"]
    advocate = stack["console"](client, "ana")
    advocate.login()
    advocate.post("/advocate/api/shift", {"on_shift": True})
    ours = client.app.state.settings.twilio_from_number
    assert messages(_signed(client, "hola, no tengo donde dormir", "SM" + "a" * 32))
    conversation = rasa.received[-1]["sender"]
    rasa.reply = HANDOFF
    sms(client, "can i talk to a real person", YOUTH)
    (item,) = client.get("/advocate/api/queue").json()["items"]
    assert advocate.post(f"/advocate/api/handoffs/{item['id']}/claim").status_code == 200
    twilio.received("SM" + "b" * 32, YOUTH, ours, "hola, no tengo donde dormir")
    twilio.received("SM" + "c" * 32, "+17755550162", ours, "someone else")
    before = _rows(client, conversation)
    assert before["inbound_messages"] >= 2 and before["handoffs"] == 1
    assert before["handoff_messages"] >= 1 and before["contacts"] == 1

    (ask,) = sms(client, "delete my data", YOUTH)
    assert "delete everything" in ask and "YES" in ask
    (done,) = sms(client, "yes", YOUTH)
    assert done.startswith("Done. We deleted") and "911" in done
    assert _rows(client, conversation) == dict.fromkeys(before, 0)
    assert "SM" + "b" * 32 in twilio.deleted and "SM" + "c" * 32 in twilio.stored
    assert not [m for m in twilio.stored.values() if YOUTH in (m["To"], m["From"])]
    detail = client.get(f"/advocate/api/handoffs/{item['id']}")
    assert detail.status_code == 404  # the transcript is gone with everything else
    with client.app.state.sessions() as session:
        (audit,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "person_erased"))
        assert conversation not in audit.detail and "messages=" in audit.detail
    asked = len(rasa.received)
    assert messages(_signed(client, "hola, no tengo donde dormir", "SM" + "a" * 32)) == []
    assert len(rasa.received) == asked  # an old signed request replayed: refused


def test_any_other_answer_keeps_everything(stack):
    client = stack["app"]()
    rasa = stack["rasa"]
    sms(client, "hi", YOUTH)
    conversation = rasa.received[-1]["sender"]
    (ask,) = sms(client, "DELETE", YOUTH)
    assert "YES" in ask
    assert sms(client, "no wait", YOUTH) == ["Hi from the bot."]
    assert sms(client, "yes", YOUTH) == ["Hi from the bot."]  # the question lapsed
    assert _rows(client, conversation)["inbound_messages"] == 4


def test_borra_mis_datos_asks_and_answers_in_spanish(stack):
    client = stack["app"]()
    (ask,) = sms(client, "borra mis datos", YOUTH)
    assert "Responde SI" in ask
    (done,) = sms(client, "si", YOUTH)
    assert done.startswith("Listo. Borramos")


def test_a_number_that_sent_stop_is_erased_without_a_message(stack):
    client = stack["app"]()
    sms(client, "hi", YOUTH)
    conversation = stack["rasa"].received[-1]["sender"]
    assert sms(client, "STOP", YOUTH) == []
    assert sms(client, "DELETE", YOUTH) == []
    wait_for(lambda: _rows(client, conversation)["inbound_messages"] == 0)
    with client.app.state.sessions() as session:
        (contact,) = session.scalars(select(Contact).where(Contact.conversation_id == conversation))
        assert contact.opted_out  # the STOP stays, as carriers require


def test_on_the_web_chat_delete_my_data_erases_the_chat_and_its_plan(stack):
    """The same on the web page: asked once, then every row of the chat goes (its plan too),
    and the page can go on (the chat itself, its token, stays until quick exit)."""
    from tests.gateway.test_webchat import say, start

    client, rasa = stack["app"](), stack["rasa"]
    token = start(client)
    say(client, token, "hi")
    conversation = rasa.received[-1]["sender"]
    for text in ("i need a safety plan", "yes", "yes", "no", "my friend Odalys"):
        say(client, token, text)
    rasa.reply = HANDOFF
    say(client, token, "can i talk to a real person")
    before = _rows(client, conversation)
    assert before["inbound_messages"] >= 7 and before["handoffs"] == 1
    ask = say(client, token, "delete my data").json()["messages"][0]["text"]
    assert "Reply YES to delete it" in ask
    done = say(client, token, "yes").json()["messages"][0]["text"]
    assert done.startswith("Done. We deleted") and "goes away when you close it" in done
    assert _rows(client, conversation) == dict.fromkeys(before, 0)
    with client.app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SafetyPlan)) == 0
        (audit,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "person_erased"))
    assert "plans=1" in audit.detail
    rasa.reply = [{"text": "Hi from the bot."}]
    assert say(client, token, "hi again").json()["messages"][0]["text"] == "Hi from the bot."
