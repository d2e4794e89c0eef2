"""Danger, suicide, self-harm and sexual assault come first: 911 and the right lines in the first
message (the rules then offer a person).

The gateway's safety net usually answers first (it runs before Rasa, from a lexicon); these
actions cover what only the assistant recognised, and never repeat the numbers the gateway
already sent for this message."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import (
    channel_of,
    language_of,
    latest_intent,
    latest_text,
    reader_of,
    remember,
    safety_net_about,
    safety_net_answered,
    say,
)
from bot.actions.next_steps import HELPERS
from resources.crisis_person import OTHER, reply_for, tells_of_other
from resources.replies import reply_numbers

# The same reply ids the gateway's safety net sends (crisis_<category>), so a person gets the
# same words whichever part noticed first.
CRISIS_REPLY = {
    "in_danger": "crisis_danger",
    "suicidal_thoughts": "crisis_suicide",
    "self_harm": "crisis_self_harm",
    "sexual_assault": "crisis_sexual_assault",
}


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reply_id = CRISIS_REPLY.get(latest_intent(tracker), "crisis_danger")
        channel, language = channel_of(tracker), language_of(tracker)
        if safety_net_answered(tracker):
            # The gateway sent its reply (for someone else's crisis too): "send that again"
            # repeats it.
            reply_id = reply_for(reply_id, safety_net_about(tracker))
            numbers = reply_numbers(reply_id, channel, language)
        else:
            # A parent or friend telling of someone else, in words the lexicon missed.
            helper = reader_of(tracker) in HELPERS
            whose = OTHER if helper and tells_of_other(latest_text(tracker), language) else None
            reply_id = reply_for(reply_id, whose)
            numbers = say(dispatcher, reply_id, channel, language)
        return remember(f"reply:{reply_id}", numbers)
