"""Bad input gets a clear answer and loses nothing; never a 500 to Twilio."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sms_gateway.models import InboundMessage
from sms_gateway.services.crypto import FieldCipher
from tests.gateway.conftest import messages, post_sms


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   ",
        "x" * 5000,
        "\x00\x01\x02 binary \xff\xfe",
        "🙏🏽🙏🏽 help 😢",
        "<script>alert(1)</script><b>hi</b>",
        "我需要帮助",
        "necesito un lugar para dormir",
        "/restart",
        '/find_shelter{"location": "x"}',
        "' OR 1=1; DROP TABLE inbound_messages; --",
    ],
)
def test_odd_messages_get_a_reply_and_are_kept(client_for, fake_rasa, body):
    client = client_for(fake_rasa.url)
    texts = messages(post_sms(client, body, sid="SM" + "b" * 32))
    assert texts, "every message gets an answer"
    cipher = FieldCipher(client.app.state.settings.encryption_key)
    with client.app.state.sessions() as session:
        row = session.scalar(
            select(InboundMessage).where(InboundMessage.external_id == "SM" + "b" * 32)
        )
        assert row is not None
        assert cipher.decrypt(row.body_encrypted) == body  # nothing lost, even past the cap
        assert row.reply_encrypted is not None


def test_empty_message_is_answered_without_the_assistant(client_for, fake_rasa):
    texts = messages(post_sms(client_for(fake_rasa.url), "", NumMedia="1"))
    assert "only read text" in texts[0]
    assert fake_rasa.received == []


def test_user_cannot_send_rasa_commands(client_for, fake_rasa):
    messages(post_sms(client_for(fake_rasa.url), "/restart"))
    assert fake_rasa.received[0]["message"] == "restart"


def test_huge_message_is_capped_for_the_assistant(client_for, fake_rasa):
    messages(post_sms(client_for(fake_rasa.url), "a" * 5000))
    assert len(fake_rasa.received[0]["message"]) == 1600


def test_html_in_bot_text_is_escaped_in_twiml(client_for, fake_rasa):
    fake_rasa.reply = [{"text": "a < b & c"}]
    response = post_sms(client_for(fake_rasa.url), "hi")
    assert "a &lt; b &amp; c" in response.text
    assert messages(response) == ["a < b & c"]


def test_missing_fields_still_get_twiml(client_for):
    from tests.gateway.conftest import AUTH_TOKEN, PUBLIC
    from tests.helpers import twilio_signature

    client = client_for("http://127.0.0.1:9")
    params = {"AccountSid": "AC" + "0" * 32}
    sig = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": sig})
    assert response.status_code == 200
