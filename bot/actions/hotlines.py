"""Numbers to call or text, easy to remember, from resources/ (seed 001:L3409-3410): the youth
list, the list for parents and other adults, and the lines a person can text instead of call;
in a conversation about sexual pictures, the CyberTipline and Take It Down after them."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.asked import instead_of
from bot.actions.context import (
    channel_of,
    language_of,
    latest_intent,
    reader_of,
    remember,
    say,
    user_texts,
)
from bot.actions.replies import send_answer
from resources.topics_in_words import about


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
        if about("lgbtq", user_texts(tracker)):
            # "is there a line he can call himself" about a son who came out as trans: the
            # LGBTQ answer, which leads with the one LGBTQ youth line open 24/7.
            return send_answer(dispatcher, tracker, "guide:lgbtq_support")
        other = instead_of(tracker, "hotlines")
        if other is not None:
            # "who do i call" from a parent or a teacher asks where to report, not for the
            # lines a youth can call (bot/actions/asked.py).
            return send_answer(dispatcher, tracker, other)
        channel, language = channel_of(tracker), language_of(tracker)
        reply_id = hotline_reply_id(latest_intent(tracker), reader_of(tracker))
        numbers = say(dispatcher, reply_id, channel, language)
        if about("pictures", user_texts(tracker)):
            # "is there a number i can call about it" after "she sells pics on snap": the
            # CyberTipline and Take It Down too.
            numbers += say(dispatcher, "pictures_help", channel, language)
        return remember(f"reply:{reply_id}", numbers, tracker=tracker)
