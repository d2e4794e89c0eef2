"""What the gateway told the assistant about the current message (channel, language, whether
the crisis safety net already answered), read from the message metadata; who is asking, from the
slots; and sending a composed answer with its buttons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from resources.guide import Answer, Button
from resources.present import localized_buttons
from resources.replies import render, reply_language

# The slot says who a question is for; the guide says which texts that reader gets.
READER_OF_ASKER = {"self": "youth", "someone_else": "caregiver"}


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
    """Returns "youth" when the person asks for themself, "caregiver" for someone else, else None.

    A person who gave their own age ("im 15") is asking for themself."""
    reader = READER_OF_ASKER.get(str(tracker.get_slot("who_is_asking") or ""))
    if reader is None and tracker.get_slot("age"):
        return "youth"
    return reader


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
) -> None:
    """A reply from resources/data/replies.yml with its buttons, titled in the language the
    text is really in (a reply without a Spanish text is followed by English choices)."""
    text = render(reply_id, channel, language)
    titled = localized_buttons(buttons, reply_language(reply_id, channel, language))
    if titled:
        dispatcher.utter_message(text=text, buttons=titled)
    else:
        dispatcher.utter_message(text=text)
