"""Finding a place to stay: the location form (ask once, clarify once, then answer anyway) and
the answer with the nearest real options from resources/."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import channel_of, language_of, latest_text
from resources import resolve_location
from resources.locations import warm_up
from resources.present import places_answer
from resources.replies import render

# Build the place indexes when the action server starts, not on a youth's first message.
warm_up()

UNKNOWN = "unknown"
MAX_ATTEMPTS = 2
# Intents a reply to "which city?" can have; anything else ("hi", "im in danger") is not an
# answer to the question and is left to the rules.
ANSWER_INTENTS = frozenset(
    {"inform_location", "nlu_fallback", "nonsense", "find_shelter", "out_of_scope"}
)
AGE = re.compile(r"\d{1,2}")


def age_of(tracker: Tracker) -> int | None:
    """The age the person gave for themself ("im 15"), to leave out places that would turn
    them away; never the age of someone they ask about."""
    if tracker.get_slot("who_is_asking") == "someone_else":
        return None
    found = AGE.search(str(tracker.get_slot("age") or ""))
    return int(found.group(0)) if found else None


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
        if text.startswith("/"):
            return {}
        if resolve_location(text).status == "resolved":
            return {"location": text}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot("requested_slot") == "location" and intent in ANSWER_INTENTS:
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
        text = places_answer(
            label if label != UNKNOWN else None,
            point,
            channel=channel_of(tracker),
            age=age_of(tracker),
            language=language_of(tracker),
        )
        dispatcher.utter_message(text=text)
        return [
            # The city-level label stays for a handoff summary; the point does not.
            SlotSet("place_label", label if label != UNKNOWN else None),
            SlotSet("location", None),
            SlotSet("location_lat", None),
            SlotSet("location_lon", None),
            SlotSet("location_attempts", 0),
        ]
