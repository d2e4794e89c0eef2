"""The area's own 24/7 sexual-assault line, when a person who was just given the sexual-assault
crisis reply says where they are ("estoy en las vegas, ay alguien aqui q me pueda ayudar?").

Why: the crisis reply gives 911 and the national lines; someone who then names their city is
asking for help near them, and a local line (Signs of HOPE in Las Vegas) can meet them there.
Used by the fallback and by the place search a bare place name starts."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import (
    channel_of,
    language_of,
    latest_intent,
    latest_text,
    remember,
    say,
)
from bot.actions.crisis_again import recent_crisis_of
from bot.actions.where import need_in
from resources.local_lines import local_line_reply

ASSAULT = "sexual_assault"
# Intents that ask for places themselves: the places, even right after the crisis reply.
ASKS_FOR_PLACES = frozenset({"find_shelter", "basic_needs", "ask_about_places"})


def local_line_after_assault(tracker: Tracker) -> str | None:
    """The reply id of the line of the area this message names, right after a sexual-assault
    crisis reply; None otherwise."""
    category, _whose = recent_crisis_of(tracker)
    last = str(tracker.get_slot("last_answer") or "")
    if category != ASSAULT and not last.startswith(f"reply:crisis_{ASSAULT}"):
        return None
    text = latest_text(tracker)
    if latest_intent(tracker) in ASKS_FOR_PLACES or need_in(text):
        # "where can i get free food in north las vegas": the places asked for, not the line.
        return None
    return local_line_reply(ASSAULT, text)


def send_local_line(
    dispatcher: CollectingDispatcher, tracker: Tracker, reply_id: str
) -> list[EventType]:
    """Send that line, remembered so "send the number again" repeats it."""
    numbers = say(dispatcher, reply_id, channel_of(tracker), language_of(tracker))
    return remember(f"reply:{reply_id}", numbers, tracker=tracker)
