"""Graceful repair: one clarifying question with choices; on a second miss in a row, never
"I didn't understand" again, but the 24/7 lines and the offer of a person (accepting it raises
a handoff whose reason is "misunderstood", bot/actions/handoff.py)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import channel_of, language_of, safety_net_answered, say
from resources.guide import load_guide
from resources.present import main_menu

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
        elif consecutive_misses(tracker) <= 1:
            say(dispatcher, "fallback_first", channel, language, main_menu())
        else:
            menu = load_guide().menu("after_misses")
            say(dispatcher, "fallback_offer_person", channel, language, menu)
        return []
