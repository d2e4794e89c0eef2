"""What one turn of a conversation is made of, the same for every channel: the crisis safety
net's reply first, then the assistant's, and the safe reply when the assistant fails (the order
of steps and the deadlines are services/pipeline.py's)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resources.crisis_person import reply_for
from resources.guide import load_guide
from resources.present import localized_buttons
from resources.replies import render
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.safety_net import CrisisSignal

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(body: str, limit: int) -> str:
    """Drop control characters, keep every language and emoji, cap the length for the bot.

    A leading "/" is removed because Rasa reads "/intent" as a command: a person must not be
    able to steer the assistant by typing one. Every channel cleans text the same way.
    """
    text = _CONTROL.sub(" ", body).strip()
    text = text.lstrip("/").strip()
    return text[:limit]


@dataclass(frozen=True)
class Turn:
    messages: list[BotMessage]
    status: str  # answered | fallback
    flags: str  # crisis categories, comma-separated
    crisis_first: bool
    language: str = "en"  # what the person writes in, for the advocate's summary
    # The safety net's reply held back because an advocate is talking (services/held_crisis.py).
    standby: list[BotMessage] = field(default_factory=list)
    # "Not now" to the offer of a person: the urgent item leaves the urgent lane.
    declined_person: bool = False


PERSON_PAYLOAD = "/talk_to_person"


# A typed "not now" to the offer of a person (a tap sends /deny).
_NOT_NOW = re.compile(r"\s*(no|nope|nah|not now|no thanks|no gracias|ahora no|todavia no)\b", re.I)


def declines_person(choices: list[str], message: str, text: str) -> bool:
    """True for "Not now" (tapped, or typed) when the last answer offered a person."""
    if PERSON_PAYLOAD not in choices:
        return False
    return message == "/deny" or (bool(_NOT_NOW.match(text)) and len(text) <= 40)


def offers_person(message: BotMessage) -> bool:
    return any(button.get("payload") == PERSON_PAYLOAD for button in message.buttons)


def offer_person(channel: str, language: str) -> BotMessage:
    """The same offer the assistant's action_offer_person sends, with its two choices."""
    buttons = localized_buttons(load_guide().menu("offer_person"), language)
    return BotMessage(render("offer_person", channel, language), buttons)


def crisis_messages(signal: CrisisSignal | None, channel: str) -> list[BotMessage]:
    """The safety net's reply: emergency options first, in the language the person wrote in."""
    if signal is None:
        return []
    return [BotMessage(render(crisis_reply_id(signal), channel, signal.language))]


# The crises whose lexicon matches say whose they are ("kill herself", "se corta"). In a danger
# or assault message "he" or "they" is usually the one doing harm: those keep one reply.
TOLD_BY_OTHERS = ("suicide", "self_harm")


def crisis_reply_id(signal: CrisisSignal) -> str:
    """crisis_<category>, or its version for someone worried about another person where
    replies.yml has one ("my son talks about ending his life": crisis_suicide_other)."""
    told = signal.category in TOLD_BY_OTHERS
    return reply_for(f"crisis_{signal.category}", signal.about if told else None)


def compose(
    first: list[BotMessage],
    bot: list[BotMessage],
    channel: str,
    signal: CrisisSignal | None,
    language: str,
) -> list[BotMessage]:
    """The crisis reply (if any), then the assistant's messages; never an empty answer."""
    messages = first + [m for m in bot if m.text or m.buttons or m.custom]
    if first and not any(offers_person(m) for m in messages):
        # The assistant did not read the message as a crisis (the lexicon did): the offer
        # of a person that its crisis rules add must not go missing.
        messages.append(offer_person(channel, signal.language if signal else language))
    if not any(m.text or m.buttons for m in messages):
        messages = [*messages, BotMessage(render("safe_reply", channel, language))]
    return messages
