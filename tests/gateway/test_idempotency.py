"""A replay of the same MessageSid (Twilio retries) gets the same answer and no second bot turn."""

from __future__ import annotations

from sqlalchemy import func, select

from sms_gateway.models import InboundMessage
from tests.gateway.conftest import messages, post_sms


def test_replay_gets_the_same_reply_and_the_bot_is_asked_once(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    first = messages(post_sms(client, "hi", sid="SM" + "c" * 32))
    fake_rasa.reply = [{"text": "a different answer"}]
    second = messages(post_sms(client, "hi", sid="SM" + "c" * 32))
    assert first == second == ["Hi from the bot."]
    assert len(fake_rasa.received) == 1
    with client.app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_distinct_messages_are_distinct_turns(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    messages(post_sms(client, "hi"))
    messages(post_sms(client, "hi"))
    assert len(fake_rasa.received) == 2
