"""Graceful repair: one clarifying question with choices; on a second miss in a row, never
"I didn't understand" again, but the 24/7 lines and the offer of a person (accepting it raises
a handoff whose reason is "misunderstood", bot/actions/handoff.py)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import (
    channel_of,
    language_of,
    latest_text,
    remember,
    safety_net_answered,
    say,
)
from bot.actions.replies import send_answer, send_reference
from bot.actions.topics import ActionAnswerPending
from bot.actions.where import known_place, need_in, place_answer
from resources.guide import load_guide
from resources.present import main_menu
from resources.topics_in_words import topics_in
from resources.who import role_in

# Messages we could not act on: NLU was unsure, or the message was keyboard mash.
MISS_INTENTS = frozenset({"nlu_fallback", "nonsense"})


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in MISS_INTENTS:
            break
        misses += 1
    return misses


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if safety_net_answered(tracker):
            # The gateway understood enough to send the emergency options: "sorry, I didn't get
            # that" would undo it. The offer of a person follows instead, as after any crisis.
            say(dispatcher, "offer_person", channel, language, load_guide().menu("offer_person"))
            return [SlotSet("last_question", "offer_person")]
        if role_in(latest_text(tracker)) is not None:
            # "Im her mom", "case worker here": not a miss, a person saying who they are.
            return await ActionAnswerPending().run(dispatcher, tracker, domain)
        if "pictures" in topics_in(latest_text(tracker)):
            # "he asked her for pictures", "can the pics be taken down": what to do and where
            # to report them (the CyberTipline and Take It Down follow the reporting answer).
            return send_answer(dispatcher, tracker, "guide:how_to_report")
        need = need_in(latest_text(tracker))
        if need is not None:
            # "wer can i sleap 2nite", "just aged out, im at the bus station": a need stated in
            # words the classifier missed. The places for it, or the question that finds them.
            return _places_for(dispatcher, tracker, need)
        last = str(tracker.get_slot("last_answer") or "")
        if (
            consecutive_misses(tracker) <= 1
            and last.startswith("places:")
            and last != "places:national"
        ):
            # Right after a list of places, a message we cannot read ("what if they're
            # closed?", "do they take gay kids there?") is almost always about those places:
            # the places again, open now first, with their hours and phones to ask.
            return send_reference(dispatcher, tracker, "places:open_now")
        if consecutive_misses(tracker) <= 1:
            say(dispatcher, "fallback_first", channel, language, main_menu())
            return [SlotSet("last_question", "menu")]
        menu = load_guide().menu("after_misses")
        numbers = say(dispatcher, "fallback_offer_person", channel, language, menu)
        return remember("reply:fallback_offer_person", numbers, question="offer_person")


def _places_for(dispatcher: CollectingDispatcher, tracker: Tracker, need: str) -> list[EventType]:
    place = known_place(tracker)
    if place is None:
        # The next message ("reno", "89119") starts the place search for this need.
        say(dispatcher, "ask_location", channel_of(tracker), language_of(tracker))
        return [SlotSet("place_need", need), SlotSet("last_question", "location")]
    dispatcher.utter_message(text=place_answer(tracker, place, need=need))
    return [*remember(f"places:{need}", tracker=tracker), SlotSet("place_label", place.label)]
