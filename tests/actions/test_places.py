"""Finding a place: the form reads the place from whole messages, asks once, clarifies once,
then answers anyway; answers carry real phones from resources/."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions.places import ActionAskLocation, ActionFindPlaces, ValidateLocationForm
from resources import load_catalog
from tests.actions.conftest import make_tracker, texts

CATALOG = load_catalog()


def phones(region: str) -> set[str]:
    return {p.phone for p in CATALOG.places if p.region == region and p.phone}


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


@pytest.mark.parametrize(
    ("message", "label_part"),
    [
        ("i need a shelter, im in las vegas", "Las Vegas"),
        ("safe place near 89502", "Reno"),
        ("place to stay 89119", "89119"),
        ("i need a shelter im in fresno", "Fresno"),
    ],
)
def test_place_is_read_from_the_whole_message(dispatcher, domain, message, label_part):
    form = ValidateLocationForm()
    tracker = make_tracker(message, "find_shelter", active_loop="location_form")
    extracted = run(form.extract_location(dispatcher, tracker, domain))
    slots = form.validate_location(extracted["location"], dispatcher, tracker, domain)
    assert label_part in slots["location"]
    assert slots["location_lat"] and slots["location_lon"]


def test_unclear_answer_counts_once_then_gives_up_kindly(dispatcher, domain):
    form = ValidateLocationForm()
    first = make_tracker(
        "asdfgh",
        "nlu_fallback",
        slots={"requested_slot": "location", "location_attempts": 0},
        active_loop="location_form",
    )
    value = run(form.extract_location(dispatcher, first, domain))["location"]
    assert form.validate_location(value, dispatcher, first, domain) == {
        "location": None,
        "location_attempts": 1,
    }
    second = make_tracker(
        "qwerty",
        "nlu_fallback",
        slots={"requested_slot": "location", "location_attempts": 1},
        active_loop="location_form",
    )
    value = run(form.extract_location(dispatcher, second, domain))["location"]
    assert form.validate_location(value, dispatcher, second, domain)["location"] == "unknown"


def test_no_place_when_not_asked_is_not_a_miss(dispatcher, domain):
    tracker = make_tracker("i need a shelter", active_loop="location_form")
    assert run(ValidateLocationForm().extract_location(dispatcher, tracker, domain)) == {}


def test_ask_location_first_then_clarify(dispatcher, domain):
    run(
        ActionAskLocation().run(
            dispatcher, make_tracker("hi", slots={"location_attempts": 0}), domain
        )
    )
    assert "city or ZIP code" in texts(dispatcher)[-1]
    run(
        ActionAskLocation().run(
            dispatcher, make_tracker("zzz", slots={"location_attempts": 1}), domain
        )
    )
    assert "city or ZIP" not in texts(dispatcher)[-1] or "5-digit" in texts(dispatcher)[-1]
    assert texts(dispatcher)[-1] != texts(dispatcher)[0]


def test_las_vegas_answer_has_a_las_vegas_phone(dispatcher, domain):
    tracker = make_tracker(
        slots={"location": "Las Vegas, NV", "location_lat": 36.17, "location_lon": -115.14}
    )
    events = run(ActionFindPlaces().run(dispatcher, tracker, domain))
    text = texts(dispatcher)[0]
    assert any(p in text for p in phones("las_vegas")), text
    assert len(text) <= 320
    assert {e["name"] for e in events} >= {"location", "location_lat", "location_lon"}


def test_reno_answer_has_a_reno_phone(dispatcher, domain):
    tracker = make_tracker(
        slots={"location": "Reno, NV", "location_lat": 39.53, "location_lon": -119.81}
    )
    run(ActionFindPlaces().run(dispatcher, tracker, domain))
    assert any(p in texts(dispatcher)[0] for p in phones("reno"))


def test_outside_our_regions_gets_national_options(dispatcher, domain):
    tracker = make_tracker(
        slots={"location": "Fresno, CA", "location_lat": 36.74, "location_lon": -119.79}
    )
    run(ActionFindPlaces().run(dispatcher, tracker, domain))
    text = texts(dispatcher)[0]
    assert "44357" in text and "1-800-786-2929" in text


def test_unknown_place_still_gets_options(dispatcher, domain):
    tracker = make_tracker(slots={"location": "unknown"})
    run(ActionFindPlaces().run(dispatcher, tracker, domain))
    text = texts(dispatcher)[0]
    assert "44357" in text and len(text) <= 320


def test_a_greeting_while_asked_is_not_a_wrong_answer(dispatcher, domain):
    tracker = make_tracker(
        "hey", "greet", slots={"requested_slot": "location"}, active_loop="location_form"
    )
    assert run(ValidateLocationForm().extract_location(dispatcher, tracker, domain)) == {}
