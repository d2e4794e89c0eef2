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


@lru_cache(maxsize=1)
def _table() -> dict[str, Keyword]:
    table: dict[str, Keyword] = {}
    for name, words in load_keywords().items():
        for word in words:
            table[word.strip().lower()] = Keyword(name)
    return table


def classify_keyword(text: str) -> Keyword | None:
    """Only a message that is the keyword alone counts ("stop" yes, "stop him" no)."""
    normalized = text.strip().strip(".!").lower()
    return _table().get(normalized)
