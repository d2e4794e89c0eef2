"""Fear about papers or deportation gets the answer on the protections that exist whatever the
status (guide.yml immigration_worries, from seed 001 L4544-4577): alone when the classifier
missed the message, after the answer asked for (being in trouble) when it did not. Papers
taken by someone ("me quitaron mis papeles") is not this."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions.fallback import ActionHandleFallback
from bot.actions.topics import ActionAnswerTopic
from resources.guide_answers import answer
from resources.topics_in_words import topics_in
from tests.actions.conftest import make_tracker, texts


@pytest.mark.parametrize(
    ("said", "intent", "slots", "reader", "language"),
    [
        ("pero de verdad no me deportan si ablo?", "nlu_fallback", {}, "youth", "es"),
        (
            "me da miedo llamar a la policia x q no tengo papeles",
            "nlu_fallback",
            {"who_is_asking": "someone_else"},
            "caregiver",
            "es",
        ),
        ("will i get deported if i tell someone", "ask_in_trouble", {}, "youth", "en"),
        ("im undocumented can i still get help", "ask_in_trouble", {}, "youth", "en"),
        (
            "we're undocumented. if i call the police about the grown man texting my daughter"
            " will they deport us?",
            "how_to_report",
            {"who_is_asking": "someone_else"},
            "caregiver",
            "en",
        ),
        (
            "we dont have papers, can i still call the police about my daughter",
            "ask_in_trouble",
            {"who_is_asking": "someone_else"},
            "caregiver",
            "en",
        ),
    ],
)
def test_fear_about_papers_gets_the_protections(
    dispatcher, domain, said, intent, slots, reader, language
):
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(said, intent, slots=slots, metadata=meta)
    action = ActionHandleFallback() if intent == "nlu_fallback" else ActionAnswerTopic()
    asyncio.run(action.run(dispatcher, tracker, domain))
    expected = answer("immigration_worries", reader, "sms", language).text
    sent = texts(dispatcher)
    # Alone after a miss; after the answer asked for (being in trouble) otherwise.
    assert sent[-1] == expected
    assert len(sent) == 1 if intent == "nlu_fallback" else len(sent) >= 2


@pytest.mark.parametrize(
    "said", ["me quitaron mis papeles", "i dont have the papers for school", "is this normal"]
)
def test_other_papers_are_not_about_immigration(said):
    assert "immigration" not in topics_in(said)


@pytest.mark.parametrize(
    "said",
    [
        "si le cuento a alguien me pueden deportar? no tengo papeles",
        "if i tell u about it will u report me to immigration",
    ],
)
def test_no_who_is_asking_after_the_papers_answer(dispatcher, domain, said):
    """The privacy answer, the helpline's policy, then the papers answer: three texts, and what
    they say holds whoever asks, so "is this for you?" does not come as a fourth."""
    language = "es" if "papeles" in said else "en"
    tracker = make_tracker(
        said, "ask_confidentiality", metadata={"channel": "sms", "language": language}
    )
    events = asyncio.run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    sent = texts(dispatcher)
    assert sent[-1] == answer("immigration_worries", None, "sms", language).text
    assert not any(e.get("name") == "last_question" and e.get("value") == "ask_who" for e in events)
