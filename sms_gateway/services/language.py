"""A small, dependable guess of English vs Spanish, so fallback and crisis texts can answer in
the person's language even when the assistant is down. Not a general language identifier."""

from __future__ import annotations

import re

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
    ]
)


def guess_language(text: str) -> str:
    """'es' when Spanish words clearly outnumber English ones, else 'en'."""
    words = re.findall(r"[a-záéíóúñü']+", text.lower())
    spanish = sum(w in _SPANISH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if re.search(r"[ñ¿¡]", text):
        spanish += 2
    return "es" if spanish >= 2 and spanish > english else "en"
