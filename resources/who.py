"""Who is writing, read from the words of one message (resources/data/who_is_writing.yml): a
young person for themself, a parent or caregiver, a professional, or a friend of a youth.

The NLU's lookup table only knows fixed phrases; people write "I'm a middle school teacher in
Reno" or "soy la abuela de una niña de 13". A clear statement in the message wins over what the
conversation remembered (a parent may hand the phone to their teen); none leaves it as it was.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

PATH = Path(__file__).parent / "data" / "who_is_writing.yml"
# The slot values (bot/domain.yml who_is_asking) each role sets.
ROLES = ("professional", "caregiver", "friend", "self")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))["roles"]
    if set(raw) - set(ROLES):
        raise ValueError(f"who_is_writing.yml: roles are {ROLES}")
    return tuple((role, tuple(re.compile(p, re.IGNORECASE) for p in raw[role])) for role in raw)


def _plain(text: str) -> str:
    text = text.replace("\u2019", "'").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def role_in(text: str) -> str | None:
    """The role this message says its writer has ("professional", "caregiver", "friend",
    "self"), or None when it does not say."""
    if not text or text.startswith("/"):
        return None
    plain = _plain(text)
    for role, patterns in _patterns():
        if any(p.search(plain) for p in patterns):
            return role
    return None
