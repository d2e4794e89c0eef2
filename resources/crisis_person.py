"""Whose crisis a message tells of: the writer's own, or someone else's (a parent about a son, a
friend about a friend). The safety net and the assistant answer the person at risk by default;
a parent who writes "my son talks about ending his life" is better served by "if they might act
on it now, call 911, stay with them; 988 helps people worried about someone too".

Words come from resources/data/crisis_person.yml. Undecided or both: "self" (that reply is
never wrong to give)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

PATH = Path(__file__).parent / "data" / "crisis_person.yml"
SELF, OTHER = "self", "other"
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    strong = frozenset(data["self"]["strong"])
    weak = frozenset(data["self"]["weak"])
    anywhere = frozenset(data["self"]["anywhere"])
    other = frozenset(data["other"])
    if (strong | weak | anywhere) & other:
        both = (strong | weak | anywhere) & other
        raise ValueError(f"{PATH.name}: a word is both self and other: {sorted(both)}")
    return strong, weak, anywhere, other


def plain_words(text: str) -> list[str]:
    """A message's words, lower case, accents and apostrophes removed ("she's" -> "shes")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("'", "").replace("\u2019", ""))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(stripped)


def vote(words: Iterable[str]) -> str | None:
    """What one stretch of words says: "self", "other", or None when it names no one."""
    strong, weak, _, other = _words()
    seen = set(words)
    if seen & strong:
        return SELF
    if seen & other:
        return OTHER
    if seen & weak:
        return SELF
    return None


def about(stretches: Iterable[Iterable[str]], message: Iterable[str] = ()) -> str:
    """Whose crisis the stretches (each lexicon match's words) tell of: "other" only when one
    names someone else and none names the writer. When none names anyone, the whole message's
    words decide: "other" only when it names a person it could be about and no word of the
    writer's own."""
    votes = {vote(words) for words in stretches}
    if OTHER in votes and SELF not in votes:
        return OTHER
    if votes - {None}:
        return SELF
    _, weak, anywhere, _ = _words()
    seen = set(message)
    # "my" and "mi" name the other person here ("my daughter tried to overdose"); "me" does not.
    if seen & _subjects() and not seen & (weak | anywhere | {"me"}):
        return OTHER
    return SELF


@lru_cache(maxsize=1)
def _subjects() -> frozenset[str]:
    return frozenset(yaml.safe_load(PATH.read_text(encoding="utf-8"))["subjects"])


def names_self(text: str) -> bool:
    """True when the message plainly says the writer is at risk ("kill myself", "me quiero
    morir"), whoever they said they were earlier."""
    return bool(set(plain_words(text)) & _words()[2])


def tells_of_other(text: str, language: str = "en") -> bool:
    """True when a whole message names someone it could be about ("i think shes with him right
    now", "my son talks about ending his life") and no word of the writer's own at risk ("me",
    "im", "myself", "quiero", "outside my house"). For a writer already known to be a parent,
    professional or friend: on its own, "he" may be the one doing harm."""
    _, _, anywhere, _ = _words()
    words = plain_words(text)
    seen = set(words)
    own = _OWN_ES if language == "es" else _OWN
    at_home = any(a in _MINE and b in _HOME for a, b in pairwise(words))
    return bool(seen & _subjects()) and not seen & (anywhere | own) and not at_home


# Words that put the writer in the message's danger ("he hit me", "im scared"). In Spanish "me"
# is as often "no me contesta" (she does not answer me): only these.
_OWN = frozenset({"me", "im", "myself", "mine"})
_OWN_ES = frozenset({"yo", "estoy", "conmigo"})
# "outside my house", "en mi puerta": the danger is at the writer's own door.
_MINE = frozenset({"my", "our", "mi", "nuestra", "nuestro"})
_HOME = frozenset(
    {
        "house",
        "home",
        "door",
        "room",
        "car",
        "apartment",
        "casa",
        "puerta",
        "cuarto",
        "carro",
        "departamento",
        "depa",
    }
)
