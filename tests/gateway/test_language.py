"""English or Spanish: each message by its own words when they are clear, else the language the
conversation was already in ("2", "reno" and "89119" say nothing about it)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sms_gateway.services.language import clear_language, guess_language, remember_language
from tests.gateway.conftest import messages, post_sms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hola", "es"),
        ("gracias", "es"),
        ("necesito un lugar para dormir", "es"),
        ("estoy en peligro", "es"),
        ("¿donde?", "es"),
        ("Un lugar para quedarme", "es"),
        ("hi", "en"),
        ("thanks", "en"),
        ("i need a shelter", "en"),
        ("A place to stay", "en"),
        ("2", None),
        ("reno", None),
        ("las vegas", None),
        ("89119", None),
        ("ok", None),
        ("no", None),
        ("", None),
    ],
)
def test_clear_language(text: str, expected: str | None) -> None:
    assert clear_language(text) == expected
    assert guess_language(text) == (expected or "en")


def _in(language: str | None) -> SimpleNamespace:
    return SimpleNamespace(language=language)


def test_an_unclear_message_keeps_the_conversations_language() -> None:
    assert remember_language(_in("es"), clear_language("reno")) == "es"
    assert remember_language(_in(None), clear_language("reno")) == "en"
    spanish = _in("es")
    assert remember_language(spanish, clear_language("hi")) == "en"
    assert spanish.language == "en"  # a clear message is remembered


def test_sms_in_spanish_then_a_place_name_stays_spanish(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    fake_rasa.reply = [{"text": "ok"}]
    sender = "+17025550131"
    for body, expected in [
        ("necesito ayuda por favor", "es"),
        ("las vegas", "es"),
        ("2", "es"),
        ("hi, i need help", "en"),
        ("89119", "en"),
    ]:
        messages(post_sms(client, body, sender=sender))
        assert fake_rasa.received[-1]["metadata"]["language"] == expected, body


def test_each_number_has_its_own_language(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    fake_rasa.reply = [{"text": "ok"}]
    messages(post_sms(client, "hola necesito ayuda", sender="+17025550132"))
    messages(post_sms(client, "reno", sender="+17025550133"))
    assert fake_rasa.received[-1]["metadata"]["language"] == "en"
