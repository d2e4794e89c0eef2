"""Topics read from the words of a message (resources/data/message_topics.yml) that add to an
answer whatever the intent was: a message about sexual pictures of a young person also gets
the CyberTipline and Take It Down, after "how to report", "what do I do" or an online-safety
answer alike. A classifier's intent says what was asked; these words say what it is about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

PATH = Path(__file__).parent / "data" / "message_topics.yml"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    return {topic: tuple(re.compile(p, re.IGNORECASE) for p in pats) for topic, pats in raw.items()}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def topics_in(text: str) -> set[str]:
    """The topics ("pictures") one message is about."""
    if not text or text.startswith("/"):
        return set()
    plain = _plain(text)
    return {t for t, pats in _patterns().items() if any(p.search(plain) for p in pats)}


def about(topic: str, texts: Iterable[str]) -> bool:
    """True when any of these messages (the conversation so far) is about `topic`."""
    return any(topic in topics_in(t) for t in texts)
