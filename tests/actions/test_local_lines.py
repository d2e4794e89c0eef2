"""After the sexual-assault crisis reply, a person who names their area gets that area's 24/7
line (bot/actions/local_line.py, resources/local_lines.py), from the fallback and from the place
search alike; without that crisis, or in an area with no line of its own, nothing changes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.actions.fallback import ActionHandleFallback
from bot.actions.places import ActionFindPlaces
from resources.catalog import load_catalog
from resources.replies import load_replies, render
from tests.actions.conftest import make_tracker, texts, user_event


def _after_assault(said: str, intent: str, language: str, **slots: Any) -> Any:
    crisis = {**user_event("sexual_assault", "me violaron anoche")}
    crisis["metadata"] = {"safety_net": "sexual_assault", "safety_net_about": "self"}
    meta = {"channel": "sms", "language": language}
    events = [crisis, user_event(intent, said)]
    slots = {"last_answer": "reply:offer_person", **slots}
    return make_tracker(said, intent, slots=slots, metadata=meta, events=events)


def test_every_regional_assault_line_has_its_reply():
    replies = load_replies()
    regional = [h for h in load_catalog().hotlines_for("sexual_assault") if h.region]
    assert regional, "hotlines.yml has a regional sexual-assault line (Signs of HOPE)"
    for hotline in regional:
        assert f"local_line_{hotline.id}" in replies


@pytest.mark.parametrize(
    ("said", "language"),
    [("estoy en las vegas, ay alguien aqui q me pueda ayudar?", "es"), ("im in henderson", "en")],
)
def test_a_place_named_after_the_assault_reply_gets_the_local_line(
    dispatcher, domain, said, language
):
    tracker = _after_assault(said, "nlu_fallback", language)
    events = asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher) == [render("local_line_signs_of_hope", "sms", language)]
    assert {"event": "slot", "name": "last_answer", "value": "reply:local_line_signs_of_hope"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_the_place_search_after_the_assault_reply_gives_the_line(dispatcher, domain):
    tracker = _after_assault(
        "las vegas", "inform_location", "en", location="Las Vegas, NV",
        location_lat=36.17, location_lon=-115.14,
    )  # fmt: skip
    asyncio.run(ActionFindPlaces().run(dispatcher, tracker, domain))
    assert texts(dispatcher) == [render("local_line_signs_of_hope", "sms", "en")]


def test_no_line_of_its_own_or_no_assault_changes_nothing(dispatcher, domain):
    tracker = _after_assault("im in reno, is there someone here", "nlu_fallback", "en")
    asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert render("local_line_signs_of_hope", "sms", "en") not in texts(dispatcher)
    said = "im in las vegas"
    plain = make_tracker(said, "nlu_fallback", events=[user_event("nlu_fallback", said)])
    asyncio.run(ActionHandleFallback().run(dispatcher, plain, domain))
    assert render("local_line_signs_of_hope", "sms", "en") not in texts(dispatcher)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("where can i get free food in north las vegas", "basic_needs"),
        ("any shelter in henderson tonight?", "find_shelter"),
        ("is there somewhere to shower in las vegas", "nlu_fallback"),
    ],
)
def test_places_asked_for_after_the_assault_reply_are_the_places(dispatcher, domain, said, intent):
    """A need asked for (food, a bed, a shower) gets the places, even right after the crisis
    reply: the area's line is for a place named alone ("estoy en las vegas, ay alguien aqui?")."""
    tracker = _after_assault(
        said, intent, "en", location="Las Vegas, NV", location_lat=36.17, location_lon=-115.14
    )
    action = ActionHandleFallback() if intent == "nlu_fallback" else ActionFindPlaces()
    asyncio.run(action.run(dispatcher, tracker, domain))
    assert render("local_line_signs_of_hope", "sms", "en") not in texts(dispatcher)
    assert texts(dispatcher)
