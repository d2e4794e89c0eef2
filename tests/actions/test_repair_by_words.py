"""Repair by the words of the message when the classifier missed (bot/actions/fallback.py): a
need stated in passing gets places, sexual pictures get the reporting answer with the
CyberTipline, and a place named in an earlier message is not asked for again."""

from __future__ import annotations

import asyncio

from bot.actions.fallback import ActionHandleFallback
from bot.actions.places import ActionAboutPlaces
from bot.actions.where import place_in_history
from resources.replies import render
from tests.actions.conftest import make_tracker, texts, user_event


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def _history(*said: str) -> list[dict[str, object]]:
    return [user_event("nlu_fallback", text) for text in said]


def test_a_need_in_words_the_classifier_missed_gets_places(dispatcher, domain):
    said = "just turned 18 and my foster placement ended today, im at the bus station in reno"
    tracker = make_tracker(said, "nlu_fallback", events=_history(said))
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert "Reno" in texts(dispatcher)[0]
    assert render("fallback_first") not in texts(dispatcher)


def test_a_need_with_no_place_asks_where_for_that_need(dispatcher, domain):
    said = "wer can i sleap 2nite"
    tracker = make_tracker(said, "nlu_fallback", events=_history(said))
    events = run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher) == [render("ask_location")]
    assert {"event": "slot", "name": "place_need", "value": "shelter"} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events
    ]


def test_pictures_get_the_reporting_answer_and_the_cybertipline(dispatcher, domain):
    said = "a man just messaged her asking for pictures of herself"
    tracker = make_tracker(said, "nlu_fallback", events=_history("my daughter is 12", said))
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert render("pictures_help") in texts(dispatcher)


def test_a_place_said_in_passing_is_remembered(dispatcher, domain):
    history = _history("im 17 and in henderson and got kicked out", "do they take gay kids there")
    tracker = make_tracker("do they take gay kids there", "ask_about_places", events=history)
    place = place_in_history(tracker)
    assert place is not None and "Henderson" in place.label
    run(ActionAboutPlaces().run(dispatcher, tracker, domain))
    assert render("ask_location") not in texts(dispatcher)
    assert "Henderson" in texts(dispatcher)[0]
