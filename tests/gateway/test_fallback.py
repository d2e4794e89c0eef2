"""Whatever fails, the person gets a safe reply with 911, 988 and the national hotline, in the
same response, and Twilio never sees a 5xx (non-negotiables 1 and 6)."""

from __future__ import annotations

import time

import pytest

from resources import load_catalog
from tests.gateway.conftest import messages, post_sms, wait_for
from tests.helpers import YOUTH, FrozenServer, free_port

NHTH = load_catalog().hotline("nhth").channels_of("call")[0].value


def assert_safe_reply(text: str) -> None:
    assert "911" in text
    assert "988" in text
    assert NHTH in text


def test_rasa_down_gets_the_safe_reply(client_for):
    client = client_for(f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    texts = messages(post_sms(client, "i need a shelter in reno"))
    assert time.monotonic() - started < 10
    assert len(texts) == 1
    assert texts[0].startswith("Waypoint here.")
    assert_safe_reply(texts[0])


def test_rasa_frozen_gets_the_safe_reply_within_the_time_limit(client_for):
    frozen = FrozenServer()
    try:
        client = client_for(frozen.url, rasa_timeout_seconds=2.0)
        started = time.monotonic()
        texts = messages(post_sms(client, "hi"))
        elapsed = time.monotonic() - started
    finally:
        frozen.close()
    assert elapsed < 10
    assert_safe_reply(texts[0])


def test_rasa_error_gets_the_safe_reply(client_for, fake_rasa):
    fake_rasa.status = 500
    texts = messages(post_sms(client_for(fake_rasa.url), "hello"))
    assert_safe_reply(texts[0])


def test_rasa_empty_answer_gets_the_safe_reply(client_for, fake_rasa):
    fake_rasa.reply = []
    texts = messages(post_sms(client_for(fake_rasa.url), "hello"))
    assert_safe_reply(texts[0])


@pytest.mark.parametrize(
    ("body", "first_words"),
    [
        ("im in danger right now", "If you are in danger now, call 911"),
        ("he has a gun and wont let me leave", "If you are in danger now, call 911"),
        ("estoy en peligro, ayudame", "Si estas en peligro ahora, llama al 911"),
        ("i want to kill myself", "Please call or text 988"),
        ("me quiero morir", "Llama al 988"),
    ],
)
def test_crisis_reply_comes_first_even_with_rasa_down(client_for, body, first_words):
    client = client_for(f"http://127.0.0.1:{free_port()}")
    texts = messages(post_sms(client, body))
    assert texts[0].startswith(first_words)
    assert "911" in texts[0]


def _later_texts(twilio_api, number: str = YOUTH, count: int = 1) -> list[str]:
    wait_for(lambda: len(twilio_api.bodies_to(number)) >= count)
    return twilio_api.bodies_to(number)


def test_crisis_reply_comes_before_the_assistant(client_for, fake_rasa, twilio_api):
    """The crisis text leaves at once in the TwiML; the assistant's part follows by REST."""
    fake_rasa.reply = [{"text": "Would you like me to try to find a person to chat with you here?"}]
    fake_rasa.delay = 3.0  # however slow the assistant is, the crisis text does not wait
    client = client_for(fake_rasa.url, twilio_api_base_url=twilio_api.url)
    texts = messages(post_sms(client, "im scared for my life"))
    assert fake_rasa.answered == 0
    assert texts == [texts[0]] and texts[0].startswith("If you are in danger now, call 911")
    later = _later_texts(twilio_api)
    assert later[0].startswith("Would you like")
    assert fake_rasa.received[0]["metadata"]["safety_net"] == "danger"


def test_the_offer_of_a_person_follows_a_crisis_reply_once(client_for, fake_rasa, twilio_api):
    # Rasa's own crisis rules already offer a person: the gateway adds nothing.
    fake_rasa.reply = [
        {
            "text": "Would you like me to try to find a person to chat with you here?",
            "buttons": [
                {"title": "Yes, a person", "payload": "/talk_to_person"},
                {"title": "Not now", "payload": "/deny"},
            ],
        }
    ]
    client = client_for(fake_rasa.url, twilio_api_base_url=twilio_api.url)
    texts = messages(post_sms(client, "im scared for my life"))
    joined = " ".join(texts + _later_texts(twilio_api))
    assert joined.count("find a person") == 1 and "1) Yes, a person" in joined


def test_the_offer_of_a_person_is_added_when_the_assistant_missed_the_crisis(
    client_for, fake_rasa, twilio_api
):
    # The lexicon caught what NLU did not: the offer must not go missing.
    fake_rasa.reply = [{"text": "Sorry, I'm not sure I got that."}]
    client = client_for(fake_rasa.url, twilio_api_base_url=twilio_api.url)
    texts = messages(post_sms(client, "estoy en peligro, ayudame"))
    assert texts[0].startswith("Si estas en peligro ahora, llama al 911")
    joined = " ".join(_later_texts(twilio_api, count=2))
    assert "busque a una persona" in joined and "1) Si, una persona" in joined
    assert "2) Ahora no" in joined
