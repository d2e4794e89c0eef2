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


@pytest.mark.parametrize(
    ("said", "slots", "expected"),
    [
        (
            "i dont want to call the cops on him tho his homies would come after me",
            {},
            "reply:hotlines_list",
        ),
        (
            "should i call the cops on him or will that make her hate me",
            {"who_is_asking": "caregiver"},
            "guide:how_to_report",
        ),
    ],
)
def test_calling_the_police_the_classifier_missed(dispatcher, domain, said, slots, expected):
    """Not wanting the police gets the lines that are not the police; a parent asking whether
    to call them gets how to report (911 for danger now, then the county's line)."""
    tracker = make_tracker(said, "nlu_fallback", slots=slots)
    events = asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    given = [e.get("value") for e in events if e.get("name") == "last_answer"]
    assert given == [expected]
