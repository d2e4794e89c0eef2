"""What a message gets before the database or the assistant is asked, and what the assistant is
told about it: plain functions of the message, so the reply that must go out if everything else
is late is known in microseconds (the first step of `services/pipeline.py`)."""

from __future__ import annotations

import asyncio
from typing import Any

from resources.replies import render
from sms_gateway.services.channel import Channel, Inbound
from sms_gateway.services.keywords import Keyword, classify_keyword
from sms_gateway.services.language import guess_language
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.reply_delivery import PendingTurn
from sms_gateway.services.safety_net import CrisisDetector
from sms_gateway.services.turn_state import Opened
from sms_gateway.services.turns import clean_text, crisis_messages, crisis_reply_id


def pending_turn(
    channel: Channel, inbound: Inbound, detector: CrisisDetector, max_chars: int
) -> PendingTurn:
    """The turn with its quick answer: nothing for EXIT or STOP, the keyword's help, the crisis
    text when the safety net fires, a kind word for an empty message, else the safe reply."""
    text = clean_text(inbound.text, max_chars)
    found = classify_keyword(text)
    keyword = found if found in channel.keywords else None
    signal = None if keyword else detector.detect(text)
    language = signal.language if signal else guess_language(text)
    if keyword in (Keyword.STOP, Keyword.EXIT):
        quick: list[BotMessage] = []
    elif keyword is Keyword.HELP:
        quick = [BotMessage(render("keyword_help", channel.name, language))]
    elif signal is not None:
        quick = crisis_messages(signal, channel.name)
    elif not text:
        quick = [BotMessage(render("empty_message", channel.name, language))]
    else:
        quick = [BotMessage(render("safe_reply", channel.name, language))]
    ready: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
    return PendingTurn(inbound, text, keyword, signal, quick, ready)


def turn_metadata(channel_name: str, turn: PendingTurn, opened: Opened) -> dict[str, Any]:
    """What the assistant's actions may know of this message beyond its text: never the
    number, only what changes the answer (the safety net's finding, whether a person could
    answer now)."""
    signal = turn.signal
    return {
        "channel": channel_name,
        "language": opened.language,
        "safety_net": signal.category if signal else None,
        # Whose crisis it was ("other": a parent about a son), for the next steps.
        "safety_net_about": (
            ("other" if crisis_reply_id(signal).endswith("_other") else "self") if signal else None
        ),
        "advocates_available": opened.advocates_available,
    }
