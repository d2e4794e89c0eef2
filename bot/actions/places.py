"""Finding a place to stay: the location form (ask once, clarify once, then answer anyway) and
the answer with the nearest real options from resources/."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.asked import ADULTS, asked_in_words
from bot.actions.context import (
    channel_of,
    language_of,
    latest_intent,
    latest_text,
    reader_of,
    remember,
    with_slot,
)
from bot.actions.local_line import local_line_after_assault, send_local_line
from bot.actions.replies import send_answer
from bot.actions.where import age_of, county_lines, known_place, place_answer, place_in_history
from resources import resolve_location
from resources.locations import warm_up
from resources.present import places_answer
from resources.replies import render
from resources.topics_in_words import topics_in

# Build the place indexes when the action server starts, not on a youth's first message.
warm_up()

UNKNOWN = "unknown"
MAX_ATTEMPTS = 2
# Intents a reply to "which city?" can have; anything else ("hi", "im in danger") is not an
# answer to the question and is left to the rules.
ANSWER_INTENTS = frozenset(
    {"inform_location", "nlu_fallback", "nonsense", "find_shelter", "basic_needs", "out_of_scope"}
)
# "idk" / "no se" to "which city?": we stop asking and give what helps anywhere.
DONT_KNOW_INTENTS = frozenset({"unsure"})
# What the person asked for when the search started: a place to stay, or food, a shower, a
# charge (drop-in centres with their hours).
NEED_OF_INTENT = {"find_shelter": "shelter", "basic_needs": "basic_needs"}


# A place name alone right after a reporting answer ("how do i report?" ... "reno") asks for
# that county's reporting line, not for shelters there.
REPORTING_ANSWERS = ("guide:how_to_report", "guide:adult_next_steps")


def need_of(tracker: Tracker) -> str:
    """What this search is for: set by the action that started it (someone stranded: a place
    open now), else the intent of the message that started it; "reporting" when a place name
    answered a reporting answer."""
    if tracker.get_slot("place_need"):
        return str(tracker.get_slot("place_need"))
    last = str(tracker.get_slot("last_answer") or "")
    if last.startswith(REPORTING_ANSWERS) and latest_intent(tracker) == "inform_location":
        return "reporting"
    adult = reader_of(tracker) in ADULTS
    if adult and topics_in(latest_text(tracker)) & {"reporting", "urgent"}:
        # "si me entero de algo a donde llamo? estamos en carson city" from a parent.
        return "reporting"
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in NEED_OF_INTENT:
                return NEED_OF_INTENT[str(intent)]
    if adult and last.startswith("guide:") and latest_intent(tracker) == "inform_location":
        # A parent or a teacher who, after a guide answer about a child, says where they are
        # ("we're in henderson") and never asked for a bed: that county's reporting line.
        return "reporting"
    return "shelter"


class ValidateLocationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_location_form"

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the place from the whole message ("i need a shelter, im in fresno").

        Runs on every turn of the form. A message that names no place is passed on only when we
        had asked for the place, so that validation can count it as a miss.
        """
        text = latest_text(tracker)
        if not text.startswith("/") and resolve_location(text).status == "resolved":
            return {"location": text}
        earlier = place_in_history(tracker)
        known = tracker.get_slot("place_label") or (earlier.label if earlier else None)
        if known and tracker.get_slot("requested_slot") is None:
            # A new search in the same conversation ("what about food?"): the city the person
            # already gave, not the question again.
            return {"location": str(known)}
        if text.startswith("/"):
            return {}
        intent = latest_intent(tracker)
        asked = tracker.get_slot("requested_slot") == "location"
        if asked and intent in ANSWER_INTENTS | DONT_KNOW_INTENTS:
            return {"location": text}
        return {}

    def validate_location(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Keep a resolved place (label + point); after two misses, answer with national options.

        Only validation may set slots besides the form's own (rasa_sdk drops others), so the
        point and the miss count are set here.
        """
        if latest_intent(tracker) in DONT_KNOW_INTENTS:
            return {"location": UNKNOWN, "location_attempts": MAX_ATTEMPTS}
        resolution = resolve_location(str(slot_value or ""))
        if resolution.status == "resolved" and resolution.point is not None:
            return {
                "location": resolution.label,
                "location_lat": resolution.point.lat,
                "location_lon": resolution.point.lon,
                "location_attempts": 0,
            }
        attempts = int(tracker.get_slot("location_attempts") or 0) + 1
        if attempts >= MAX_ATTEMPTS:
            return {"location": UNKNOWN, "location_attempts": attempts}
        return {"location": None, "location_attempts": attempts}


class ActionAskLocation(Action):
    """Asks where; a second time with other words, or which one when the name is ambiguous."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if int(tracker.get_slot("location_attempts") or 0) == 0:
            dispatcher.utter_message(text=render("ask_location", channel, language))
            return []
        resolution = resolve_location(latest_text(tracker))
        if resolution.status == "ambiguous" and resolution.clarifying_question and language == "en":
            dispatcher.utter_message(text=resolution.clarifying_question)
        else:
            dispatcher.utter_message(text=render("ask_location_again", channel, language))
        return []


class ActionFindPlaces(Action):
    def name(self) -> str:
        return "action_find_places"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        label = tracker.get_slot("location")
        lat, lon = tracker.get_slot("location_lat"), tracker.get_slot("location_lon")
        point = (float(lat), float(lon)) if lat is not None and lon is not None else None
        local = None if tracker.get_slot("place_need") else local_line_after_assault(tracker)
        if local is not None:
            # A place named right after the sexual-assault crisis reply asks for help there:
            # that area's 24/7 line, not a list of shelters.
            return [*send_local_line(dispatcher, tracker, local), *_search_done(label)]
        need = need_of(tracker)
        if need == "reporting" and label != UNKNOWN:
            return self._reporting_line(dispatcher, tracker, str(label))
        text = places_answer(
            label if label != UNKNOWN else None,
            point,
            channel=channel_of(tracker),
            age=age_of(tracker),
            language=language_of(tracker),
            need=need,
        )
        dispatcher.utter_message(text=text)
        known = label if label != UNKNOWN else None
        return [
            *remember(f"places:{need}" if known else "places:national"),
            SlotSet("place_need", None),
            # The city-level label stays for a handoff summary (and "send that again"); the
            # point does not.
            SlotSet("place_label", known or tracker.get_slot("place_label")),
            SlotSet("location", None),
            SlotSet("location_lat", None),
            SlotSet("location_lon", None),
            SlotSet("location_attempts", 0),
        ]

    @staticmethod
    def _reporting_line(
        dispatcher: CollectingDispatcher, tracker: Tracker, label: str
    ) -> list[EventType]:
        extra = county_lines(with_slot(tracker, "place_label", label))
        if extra is not None:
            dispatcher.utter_message(text=extra.text)
        numbers = extra.numbers if extra is not None else ()
        return [
            *remember(str(tracker.get_slot("last_answer") or "") or None, numbers),
            SlotSet("place_label", label),
            SlotSet("location", None),
            SlotSet("location_lat", None),
            SlotSet("location_lon", None),
            SlotSet("location_attempts", 0),
        ]


class ActionAboutPlaces(Action):
    """A question about the places just listed ("are they open now?", "do they take 13 year
    olds?", "whats their number?"): the places again for this person, open now first, with the
    age they just gave (the age entity). With no place known yet, the question that finds one."""

    def name(self) -> str:
        return "action_about_places"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked = asked_in_words(tracker)
        if asked is None and "pictures" in topics_in(latest_text(tracker)):
            asked = "guide:how_to_report"  # "can i get them taken down": the CyberTipline too
        if asked is not None:
            # "will they tell him it was me" read as a question about the places: its words
            # ask about confidentiality (bot/actions/asked.py).
            return send_answer(dispatcher, tracker, asked)
        place = known_place(tracker)
        if place is None:
            dispatcher.utter_message(
                text=render("ask_location", channel_of(tracker), language_of(tracker))
            )
            return [SlotSet("last_question", "location")]
        dispatcher.utter_message(text=place_answer(tracker, place, need="open_now"))
        return [*remember("places:open_now", tracker=tracker), SlotSet("place_label", place.label)]


def _search_done(label: object) -> list[EventType]:
    """The search's slots cleared; the city-level label kept for a handoff summary."""
    known = label if label != UNKNOWN else None
    return [
        SlotSet("place_need", None),
        *([SlotSet("place_label", known)] if known else []),
        SlotSet("location", None),
        SlotSet("location_lat", None),
        SlotSet("location_lon", None),
        SlotSet("location_attempts", 0),
    ]
