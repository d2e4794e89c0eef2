"""Turns assistant messages into what fits a phone: short SMS, GSM-7 where possible, choices
written as a numbered list inside the text (never raw button payloads)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from resources.spelling import GSM7_CHARS, for_sms, is_gsm7, plain_typography
from sms_gateway.services.rasa_client import BotMessage

__all__ = ["GSM7_CHARS", "SmsReply", "format_for_sms", "is_gsm7", "split_for_sms", "to_gsm7"]

SMS_LIMIT = 320


@dataclass(frozen=True)
class SmsReply:
    """The texts to send, and the payloads that the numbers 1..n now stand for."""

    texts: list[str]
    choices: list[str]


def to_gsm7(text: str) -> str:
    """Replace typographic characters that would force the whole SMS into UCS-2."""
    return plain_typography(text)


def split_for_sms(text: str, limit: int = SMS_LIMIT) -> list[str]:
    """Split at sentence or line ends so no single SMS is longer than `limit`."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for piece in re.split(r"(?<=[.!?\n])\s+", text):
        candidate = f"{current} {piece}".strip() if current else piece
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(piece) > limit:
            cut = piece.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            parts.append(piece[:cut].rstrip())
            piece = piece[cut:].lstrip()
        current = piece
    if current:
        parts.append(current)
    return parts


def format_for_sms(messages: list[BotMessage]) -> SmsReply:
    """One turn's messages as SMS texts. Choices are numbered across the whole turn (a second
    list goes on 4), 5)...), so every number a person sees still works when they send it."""
    texts: list[str] = []
    choices: list[str] = []
    for message in messages:
        body = message.text.strip()
        if message.buttons:
            first = len(choices) + 1
            lines = [f"{i}) {b['title']}" for i, b in enumerate(message.buttons, start=first)]
            choices += [b["payload"] for b in message.buttons]
            body = (body + "\n" if body else "") + "\n".join(lines)
        texts.extend(split_for_sms(for_sms(body)))
    return SmsReply(texts=[t for t in texts if t], choices=choices)
