"""A small, dependable guess of English vs Spanish, so fallback and crisis texts can answer in
the person's language even when the assistant is down. Not a general language identifier.

A message that says little ("2", "reno", "89119", "ok") keeps the language the conversation
was already in: `clear_language` returns None for it and the channel keeps the last clear one."""

from __future__ import annotations

import re
from typing import Protocol

_SPANISH = frozenset(
    [
        "que",
        "de",
        "no",
        "estoy",
        "esta",
        "estas",
        "ayuda",
        "ayudame",
        "necesito",
        "por",
        "favor",
        "donde",
        "mi",
        "tengo",
        "quiero",
        "soy",
        "hola",
        "gracias",
        "para",
        "con",
        "una",
        "un",
        "el",
        "la",
        "los",
        "las",
        "me",
        "te",
        "se",
        "mis",
        "nos",
        "muy",
        "porque",
        "casa",
        "dormir",
        "quedarme",
        "peligro",
        "miedo",
        "hablar",
        "persona",
        "puedo",
        "puedes",
        "como",
        "cuando",
        "ahora",
        "aqui",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "i",
        "im",
        "i'm",
        "you",
        "a",
        "an",
        "is",
        "are",
        "to",
        "of",
        "and",
        "in",
        "my",
        "me",
        "need",
        "help",
        "where",
        "can",
        "place",
        "stay",
        "want",
        "talk",
        "person",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "with",
        "for",
        "at",
        "now",
        "here",
        "please",
        "hi",
        "hello",
        "hey",
        "thanks",
    ]
)
# Words that only one of the two languages uses, and that carry a whole message on their own
# ("hola", "gracias", "hi", "thanks"): they count double.
_STRONG = frozenset(
    {"hola", "gracias", "necesito", "ayuda", "ayudame", "estoy", "quiero", "peligro"}
    | {"hi", "hello", "hey", "thanks", "need", "help", "want", "please"}
)


def clear_language(text: str) -> str | None:
    """'es' or 'en' when the words say so clearly, None when they do not."""
    words = re.findall(r"[a-záéíóúñü']+", text.lower())
    spanish = sum(2 if w in _STRONG else 1 for w in words if w in _SPANISH)
    english = sum(2 if w in _STRONG else 1 for w in words if w in _ENGLISH)
    if re.search(r"[ñ¿¡]", text):
        spanish += 2
    if spanish >= 2 and spanish > english:
        return "es"
    if english >= 2 and english > spanish:
        return "en"
    return None


def guess_language(text: str) -> str:
    """'es' when Spanish words clearly outnumber English ones, else 'en'."""
    return clear_language(text) or "en"


class Remembers(Protocol):
    """A stored conversation (an SMS contact, a web chat) with the last clear language."""

    language: str | None


def remember_language(conversation: Remembers, clear: str | None) -> str:
    """The language to answer a message in, given `clear_language` of it: its own when clear
    (and then remembered on the conversation), else the conversation's last clear one."""
    if clear is not None:
        conversation.language = clear
    return clear or conversation.language or "en"
