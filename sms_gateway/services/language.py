"""A small, dependable guess of English vs Spanish, so fallback and crisis texts can answer in
the person's language even when the assistant is down. Not a general language identifier.

A message that says little ("2", "reno", "89119", "ok") keeps the language the conversation
was already in: `clear_language` returns None for it and the channel keeps the last clear one."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

_WORDS_FILE = Path(__file__).resolve().parents[2] / "resources" / "data" / "language_words.yml"
# Words both languages use in texts ("no", "me", "a", "ok", "si"): a sign of neither.
_EITHER = frozenset({"no", "me", "a", "ok", "okay", "la", "las", "si", "mama", "papa", "bro"})
# The SMS keywords (STOP, EXIT, START) are the same in both languages.
_EITHER |= {"stop", "exit", "start"}

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


@lru_cache(maxsize=1)
def _marking_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words that mark English and Spanish as people text them, taken from the training
    examples by scripts/language_words.py ("kiero", "ola", "q" spellings a dictionary lacks)."""
    data = yaml.safe_load(_WORDS_FILE.read_text("utf-8")) or {}
    english = frozenset(data.get("en") or ()) | _ENGLISH
    spanish = frozenset(data.get("es") or ()) | _SPANISH
    return english - _EITHER, spanish - _EITHER


def clear_language(text: str) -> str | None:
    """'es' or 'en' when the words say so clearly, None when they do not (a bare "no", "ok",
    a number or a place name)."""
    english_words, spanish_words = _marking_words()
    words = re.findall(r"[a-záéíóúñü']+", text.lower())
    spanish = sum(2 if w in _STRONG else 1 for w in words if w in spanish_words)
    english = sum(2 if w in _STRONG else 1 for w in words if w in english_words)
    if re.search(r"[ñ¿¡áéíóú]", text.lower()):
        spanish += 2
    if spanish > english and spanish >= 1 and spanish >= 2 * english:
        return "es"
    if english > spanish and english >= 1 and english >= 2 * spanish:
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
