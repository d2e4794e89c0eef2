"""Numbers to call or text, easy to remember, from resources/ (seed 001:L3409-3410): the youth
list, the list for parents and other adults, and the lines a person can text instead of call."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import channel_of, language_of, latest_intent, reader_of, remember, say


def hotline_reply_id(intent: str, reader: str | None) -> str:
    if intent == "ask_text_line":
        return "text_lines"
    return "hotlines_caregiver" if reader in ("caregiver", "professional") else "hotlines_list"


class ActionGiveHotlines(Action):
    def name(self) -> str:
        return "action_give_hotlines"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reply_id = hotline_reply_id(latest_intent(tracker), reader_of(tracker))
        numbers = say(dispatcher, reply_id, channel_of(tracker), language_of(tracker))
        return remember(f"reply:{reply_id}", numbers, tracker=tracker)
