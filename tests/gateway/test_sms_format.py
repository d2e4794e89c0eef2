"""Replies fit a phone: ≤ 320 characters each, GSM-7 where possible, numbered choices."""

from __future__ import annotations

from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.sms_format import format_for_sms, is_gsm7, split_for_sms, to_gsm7
from tests.gateway.conftest import messages, post_sms


def test_buttons_become_a_numbered_list_not_payloads():
    reply = format_for_sms(
        [
            BotMessage(
                "What would help?",
                [
                    {"title": "A place to stay", "payload": "/find_shelter"},
                    {"title": "Talk to a person", "payload": "/talk_to_person"},
                ],
            )
        ]
    )
    assert reply.texts == ["What would help?\n1) A place to stay\n2) Talk to a person"]
    assert reply.choices == ["/find_shelter", "/talk_to_person"]
    assert "/" not in reply.texts[0]


def test_two_lists_in_one_turn_are_numbered_on_so_every_number_works():
    reply = format_for_sms(
        [
            BotMessage(
                "Is it one of these?", [{"title": "A place to stay", "payload": "/find_shelter"}]
            ),
            BotMessage(
                "Would you like a person?",
                [
                    {"title": "Yes, a person", "payload": "/talk_to_person"},
                    {"title": "Not now", "payload": "/deny"},
                ],
            ),
        ]
    )
    joined = "\n".join(reply.texts)
    assert "1) A place to stay" in joined and "2) Yes, a person" in joined
    assert "3) Not now" in joined
    assert reply.choices == ["/find_shelter", "/talk_to_person", "/deny"]


def test_long_text_is_split_at_sentences_under_the_limit():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    parts = split_for_sms(text)
    assert len(parts) > 1
    assert all(len(p) <= 320 for p in parts)
    assert " ".join(parts) == text


def test_typographic_characters_become_gsm7():
    assert is_gsm7(to_gsm7("You’re welcome — “any time”…"))
    assert not is_gsm7("emoji 😊")


def test_a_number_picks_the_offered_choice(client_for, fake_rasa):
    fake_rasa.reply = [
        {
            "text": "What would help?",
            "buttons": [
                {"title": "A place to stay", "payload": "/find_shelter"},
                {"title": "Talk to a person", "payload": "/talk_to_person"},
            ],
        }
    ]
    client = client_for(fake_rasa.url)
    messages(post_sms(client, "hi"))
    messages(post_sms(client, "2"))
    assert fake_rasa.received[-1]["message"] == "/talk_to_person"
    messages(post_sms(client, "7"))  # no such choice: passed on as text
    assert fake_rasa.received[-1]["message"] == "7"
