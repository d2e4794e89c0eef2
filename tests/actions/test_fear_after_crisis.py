"""In a message the safety net answered, a young person's fear of jail or deportation ("i had to
do stuff w guys for money to eat, am i gonna go to jail") is answered after the crisis reply and
before the offer of a person: the fear that stops someone from asking for help gets its answer."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions.basics import ActionOfferPerson
from resources.guide_answers import answer
from resources.replies import render
from tests.actions.conftest import make_tracker, texts


@pytest.mark.parametrize(
    ("said", "intent", "language", "expected"),
    [
        (
            "i had to do stuff w guys for money to eat, am i gonna go to jail",
            "is_this_normal",
            "en",
            ["in_trouble"],
        ),
        ("si le digo a alguien me arrestan a mi?", "ask_in_trouble", "es", ["in_trouble"]),
        (
            "el señor con el q vivo me hace estar con sus amigos y dice q si digo algo me van a"
            " deportar xq no tengo papeles",
            "nlu_fallback",
            "es",
            ["immigration_worries"],
        ),
    ],
)
def test_the_fear_is_answered_before_the_offer(
    dispatcher, domain, said, intent, language, expected
):
    meta = {"channel": "sms", "language": language, "safety_net": "sexual_assault"}
    tracker = make_tracker(said, intent, metadata=meta)
    asyncio.run(ActionOfferPerson().run(dispatcher, tracker, domain))
    sent = texts(dispatcher)
    wanted = [answer(e, None, "sms", language).text for e in expected]
    assert sent[: len(wanted)] == wanted
    assert sent[-1].startswith(render("offer_person", "sms", language)[:25])


def test_no_fear_no_extra_text(dispatcher, domain):
    meta = {"channel": "sms", "language": "en", "safety_net": "danger"}
    tracker = make_tracker("hes outside my door and im scared", "in_danger", metadata=meta)
    asyncio.run(ActionOfferPerson().run(dispatcher, tracker, domain))
    assert texts(dispatcher) == [render("offer_person", "sms", "en")]


def test_a_parents_fear_about_papers_is_answered_too(dispatcher, domain):
    said = "no kiero llamar a la policia xq no tenemos papeles y nos pueden deportar"
    meta = {"channel": "sms", "language": "es", "safety_net": "danger"}
    tracker = make_tracker(
        said, "ask_in_trouble", slots={"who_is_asking": "caregiver"}, metadata=meta
    )
    asyncio.run(ActionOfferPerson().run(dispatcher, tracker, domain))
    sent = texts(dispatcher)
    assert sent[0] == answer("immigration_worries", "caregiver", "sms", "es").text
    assert answer("in_trouble", "caregiver", "sms", "es").text not in sent
