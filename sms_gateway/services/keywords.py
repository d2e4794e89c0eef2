"""Carrier keywords (STOP, START, HELP) and the exit keyword, as carriers and youth expect.

The words come from resources/data/keywords.yml so an operator can add a language without code.
"""

from __future__ import annotations

import enum
from functools import lru_cache

from resources.replies import load_keywords


class Keyword(enum.Enum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    EXIT = "exit"
    DELETE = "delete"


CONFIRM_DELETE = "confirm_delete"  # not a keyword: it only means yes while a delete is pending


@lru_cache(maxsize=1)
def _table() -> dict[str, Keyword]:
    table: dict[str, Keyword] = {}
    for name, words in load_keywords().items():
        if name == CONFIRM_DELETE:
            continue
        for word in words:
            table[word.strip().lower()] = Keyword(name)
    return table


def classify_keyword(text: str) -> Keyword | None:
    """Only a message that is the keyword alone counts ("stop" yes, "stop him" no)."""
    normalized = text.strip().strip(".!").lower()
    return _table().get(normalized)


@lru_cache(maxsize=1)
def _confirm_words() -> frozenset[str]:
    return frozenset(w.strip().lower() for w in load_keywords()[CONFIRM_DELETE])


def confirms_delete(text: str) -> bool:
    """The whole message says yes to "delete everything?" ("yes", "si", "1", "delete")."""
    return text.strip().strip(".!").lower() in _confirm_words()
