"""Asking for a person. When the gateway says someone from the team can answer now
(`advocates_available` in the message metadata), the assistant says so honestly (no time
promise) and sends the `handoff` custom payload the gateway turns into a queued conversation,
with a summary so the youth never has to retell the story: who is writing, the place at city
level, the topics asked about and what the assistant already gave (never the person's words).
Otherwise: the honest answer that no one can join now, and people to reach right now."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import (
    advocates_available,
    channel_of,
    language_of,
    reader_of,
    remember,
    say,
)
from resources.guide import handoff_summary_words
from resources.reporting_policy import load_policy


def previous_action(tracker: Tracker) -> str | None:
    """The last action before the person's latest message (which answer they replied to)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None


def summary_of(tracker: Tracker) -> dict[str, Any]:
    words = handoff_summary_words()
    asked: list[str] = []
    gave: list[str] = []
    for event in tracker.events:
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            topic = words["asked"].get(str(intent))
            if topic and topic not in asked:
                asked.append(topic)
        elif event.get("event") == "action":
            given = words["gave"].get(str(event.get("name")))
            if given and given not in gave:
                gave.append(given)
    return {
        "who": reader_of(tracker) or "unknown",
        "place": tracker.get_slot("place_label"),
        "asked": asked,
        "bot_gave": gave,
    }


class ActionTalkToPerson(Action):
    def name(self) -> str:
        return "action_talk_to_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if not advocates_available(tracker):
            numbers = say(dispatcher, "handoff_not_available", channel, language)
            return remember("reply:handoff_not_available", numbers)
        reason = (
            "misunderstood" if previous_action(tracker) == "action_handle_fallback" else "asked"
        )
        numbers = say(dispatcher, "handoff_requested", channel, language)
        dispatcher.utter_message(
            json_message={"handoff": {"reason": reason, "summary": summary_of(tracker)}}
        )
        # Before a person joins: what they must pass on, as this helpline's policy says.
        numbers += say(dispatcher, load_policy().reply_id, channel, language)
        return remember("reply:handoff_requested", numbers)
