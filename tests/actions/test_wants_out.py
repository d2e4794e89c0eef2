"""A young person who says they want out ("im 20, been doing this since i was 16 and i want
out. im in reno", "ya no quiero hacer esto") and whom the classifier could not read gets the
choices open to them now, not "sorry, I didn't get that"; a parent's words do not."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions.fallback import ActionHandleFallback
from resources.guide_answers import answer
from resources.replies import render
from tests.actions.conftest import make_tracker, texts


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("im 20, been doing this since i was 16 and i want out. im in reno", "en"),
        ("honestly i just wanna get out of the life", "en"),
        ("ya no quiero seguir haciendo esto, como le hago", "es"),
    ],
)
def test_wanting_out_gets_the_choices_open_now(dispatcher, domain, said, language):
    tracker = make_tracker(said, "nlu_fallback", metadata={"channel": "sms", "language": language})
    asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    sent = texts(dispatcher)
    assert sent[0] == answer("youth_next_steps", None, "sms", language).text
    assert render("fallback_first", "sms", language) not in sent


@pytest.mark.parametrize("said", ["i want out of this house tonight", "quiero salir a la tienda"])
def test_leaving_a_house_or_going_out_is_not_this(dispatcher, domain, said):
    tracker = make_tracker(said, "nlu_fallback")
    asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] != answer("youth_next_steps", None, "sms", "en").text
