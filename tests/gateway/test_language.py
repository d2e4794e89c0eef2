"""English or Spanish: each message by its own words when they are clear, else the language the
conversation was already in ("2", "reno" and "89119" say nothing about it)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from sms_gateway.services.language import clear_language, guess_language, remember_language
from tests.gateway.conftest import messages, post_sms

LANGUAGE_WORDS = Path(__file__).resolve().parents[2] / "resources" / "data" / "language_words.yml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hola", "es"),
        # a first message of one greeting word, as texted (language_words_extra.yml)
        ("oli", "es"),
        ("wenas", "es"),
        ("buenas", "es"),
        ("Holis", "es"),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spanish as it is texted: no accents, sound-alike spellings, short forms.
        ("ola", "es"),
        ("ya no kiero bivir", "es"),
        ("si le digo a alguien me arrestan a mi?", "es"),
        ("le vas a decir a mi mama?", "es"),
        ("mandame los numeros otra vez", "es"),
        ("grasias", "es"),
        ("ahorita no", "es"),
        # English, and messages that say nothing about it (the conversation's language stays).
        ("can u send that again", "en"),
        ("what do i do if i think it is happening", "en"),
        ("thx", "en"),
        ("las vegas", None),
        ("no", None),
        ("ok", None),
        ("STOP", None),
        ("89119", None),
    ],
)
def test_a_clear_language_in_the_words_people_text(text, expected):
    assert clear_language(text) == expected


def test_the_marking_words_come_from_both_training_sets():
    """resources/data/language_words.yml is generated from bot/data/nlu: run
    `python -m scripts.language_words` after changing the examples (this test says when)."""
    words = yaml.safe_load(LANGUAGE_WORDS.read_text("utf-8"))
    assert len(words["en"]) > 300 and len(words["es"]) > 300
    assert not set(words["en"]) & set(words["es"])
    assert {"kiero", "ayuda", "gracias"} <= set(words["es"]) and "help" in words["en"]
