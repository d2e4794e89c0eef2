"""What the gateway told the assistant about the current message (channel, language, whether
the crisis safety net already answered), read from the message metadata; who is asking, from the
slots; and sending a composed answer with its buttons."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from resources.guide import Button
from resources.guide_answers import Answer
from resources.present import localized_buttons
from resources.replies import render, reply_language, reply_numbers
from resources.who import role_in

# The slot says who is writing; the guide says which texts that reader gets. An adult asking
# for someone else without saying more reads the caregiver texts.
READER_OF_ASKER = {
    "self": "youth",
    "caregiver": "caregiver",
    "professional": "professional",
    "friend": "friend",
    "someone_else": "caregiver",
}


# "the number again", "cual era el numero", "number for washoe?": a message asking for numbers.
NUMBER_WORDS = re.compile(
    r"\b(numbers?|num|#|digits|lines?|hotline|n[uú]meros?|tel[eé]fonos?|l[ií]neas?)\b", re.I
)


def split_ref(ref: str) -> tuple[str, str]:
    """(entry, part) of a remembered answer: "guide:warning_signs.money" -> ("warning_signs",
    "money"), "online_tips#2" (an idea of a list) -> ("online_tips", ""). One reading of the
    reference format, so an idea's "#" can never again hide the entry it belongs to."""
    entry, _, part = ref.removeprefix("guide:").partition("#")[0].partition(".")
    return entry, part


# How many earlier messages are read for who is writing when the conversation did not record it.
WHO_LOOKBACK = 10


def _metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def channel_of(tracker: Tracker) -> str:
    return str(_metadata(tracker).get("channel") or "sms")


def language_of(tracker: Tracker) -> str:
    return "es" if _metadata(tracker).get("language") == "es" else "en"


def advocates_available(tracker: Tracker) -> bool:
    """True when the gateway says someone from the team can answer now (hours, on shift)."""
    return _metadata(tracker).get("advocates_available") is True


def safety_net_answered(tracker: Tracker) -> bool:
    """True when the gateway already sent the emergency options for this message."""
    return bool(_metadata(tracker).get("safety_net"))


def safety_net_about(tracker: Tracker) -> str | None:
    """Whose crisis the gateway's safety net read in this message: "self", "other" (a parent
    about a son: it sent the reply for someone worried about another person) or None."""
    about = _metadata(tracker).get("safety_net_about")
    return str(about) if about else None


def previous_user_metadata(tracker: Tracker) -> dict[str, Any]:
    """The metadata of the person's message before the latest one (what the gateway said
    about it: e.g. its safety net answered and offered a person)."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen += 1
            if seen == 2:
                metadata = event.get("metadata") or {}
                return metadata if isinstance(metadata, dict) else {}
    return {}


def user_texts(tracker: Tracker) -> list[str]:
    """What the person wrote in this conversation, oldest first."""
    return [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]


def latest_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def latest_intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def latest_entity(tracker: Tracker, name: str) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value") is not None:
            return str(entity["value"])
    return None


def reader_of(tracker: Tracker) -> str | None:
    """Whose texts this person gets: "youth", "caregiver", "professional", "friend", or None
    when nothing says. What this message says ("I'm a teacher") wins over what the
    conversation remembered; a person who gave their own age ("im 15") is a youth."""
    said = role_in(latest_text(tracker))
    reader = READER_OF_ASKER.get(said or str(tracker.get_slot("who_is_asking") or ""))
    if reader is None:
        # Said earlier, in a message whose answer did not record it ("my friend is trans and
        # his parents kicked him out" got places): still who is writing.
        earlier = (role_in(t) for t in reversed(user_texts(tracker)[-WHO_LOOKBACK - 1 : -1]))
        reader = READER_OF_ASKER.get(next((r for r in earlier if r), ""))
    if reader is None and tracker.get_slot("age"):
        return "youth"
    return reader


def with_slot(tracker: Tracker, name: str, value: Any) -> Tracker:
    """A copy of the tracker with one slot changed, for an answer that must already see it."""
    slots = dict(tracker.slots)
    slots[name] = value
    return Tracker(
        tracker.sender_id,
        slots,
        tracker.latest_message,
        tracker.events,
        tracker.is_paused(),
        tracker.followup_action,
        tracker.active_loop,
        tracker.latest_action_name,
    )


def remember(
    answer: str | None,
    numbers: Iterable[str] = (),
    question: str | None = None,
    tracker: Tracker | None = None,
) -> list[EventType]:
    """Slots that let a follow-up be answered in context: what the last answer was (an id:
    "guide:warning_signs.money", "reply:hotlines_list", "places:shelter"), the hotlines whose
    numbers it gave (kept from an earlier answer when this one gave none, so "the number
    again" still finds them), the question it asked ("offer_person", "ask_who", "idea"), and,
    with the tracker, who is writing when the message said so."""
    given = ",".join(numbers)
    events: list[EventType] = [SlotSet("last_answer", answer), SlotSet("last_question", question)]
    if given:
        events.append(SlotSet("last_numbers", given))
    if tracker is not None:
        events += writer_events(tracker)
    return events


def writer_events(tracker: Tracker) -> list[EventType]:
    """Remember who is writing when this message says it ("I'm her mom", "soy maestra")."""
    said = role_in(latest_text(tracker))
    if said is not None and said != tracker.get_slot("who_is_asking"):
        return [SlotSet("who_is_asking", said)]
    return []


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    """A composed guide answer; its buttons are titled in the language its text is in."""
    if answer.buttons:
        buttons = localized_buttons(answer.buttons, answer.language)
        dispatcher.utter_message(text=answer.text, buttons=buttons)
    else:
        dispatcher.utter_message(text=answer.text)


def say(
    dispatcher: CollectingDispatcher,
    reply_id: str,
    channel: str,
    language: str,
    buttons: Iterable[Button | dict[str, str]] = (),
) -> tuple[str, ...]:
    """A reply from resources/data/replies*.yml with its buttons, titled in the language the
    text is really in (a reply without a Spanish text is followed by English choices). Returns
    the hotline ids whose numbers it gave (for "the number again")."""
    text = render(reply_id, channel, language)
    titled = localized_buttons(buttons, reply_language(reply_id, channel, language))
    if titled:
        dispatcher.utter_message(text=text, buttons=titled)
    else:
        dispatcher.utter_message(text=text)
    return reply_numbers(reply_id, channel, language)
