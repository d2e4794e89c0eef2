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
from bot.actions.next_steps import HELPERS, OTHER
from resources.crisis_person import tells_of_other
from resources.replies import load_replies, reply_numbers

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
        if safety_net_answered(tracker):
            about = safety_net_about(tracker)
        else:  # a parent or friend telling of someone else, in words the lexicon missed
            helper = reader_of(tracker) in HELPERS and tells_of_other(
                latest_text(tracker), language_of(tracker)
            )
            about = OTHER if helper else None
        if about == OTHER and f"{reply_id}_other" in load_replies():
            reply_id = f"{reply_id}_other"
        if not safety_net_answered(tracker):
            numbers = say(dispatcher, reply_id, channel_of(tracker), language_of(tracker))
        else:  # the gateway sent the same reply: "send that again" repeats it
            numbers = reply_numbers(reply_id, channel_of(tracker), language_of(tracker))
        return remember(f"reply:{reply_id}", numbers)
