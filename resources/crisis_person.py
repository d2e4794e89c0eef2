"""Whose crisis a message tells of: the writer's own, or someone else's (a parent about a son, a
friend about a friend). The safety net and the assistant answer the person at risk by default;
a parent who writes "my son talks about ending his life" is better served by "if they might act
on it now, call 911, stay with them; 988 helps people worried about someone too".

Words come from resources/data/crisis_person.yml, per language (English "son" is not Spanish
"son"). Undecided or both: "self" (that reply is never wrong to give)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from resources.replies import load_replies

PATH = Path(__file__).parent / "data" / "crisis_person.yml"
SELF, OTHER = "self", "other"
LANGUAGES = ("en", "es")
_WORD = re.compile(r"[a-z0-9]+")
# As sms_gateway/services/crisis_text.py squeezes its canonical tokens (resources cannot import
# the gateway: the assistant loads this module too).
_DOUBLE = re.compile(r"([a-z])\1+")


def squeeze(word: str) -> str:
    """Doubled letters as one, as the safety net spells its tokens ("kill" -> "kil")."""
    return _DOUBLE.sub(r"\1", word)


def reply_for(reply_id: str, whose: str | None) -> str:
    """`reply_id` ("crisis_suicide"), or its version for someone worried about another person
    ("crisis_suicide_other") when the crisis is someone else's and replies.yml has one. One
    rule for the gateway's safety net and the assistant, so both send the same words."""
    other = f"{reply_id}_other"
    return other if whose == OTHER and other in load_replies() else reply_id


@dataclass(frozen=True)
class Words:
    """One language's word sets, squeezed."""

    strong: frozenset[str]
    weak: frozenset[str]
    anywhere: frozenset[str]
    other: frozenset[str]
    subjects: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> dict[str, Words]:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))

    def kept(section: dict[str, list[str]], language: str) -> frozenset[str]:
        return frozenset(squeeze(w) for w in section.get(language) or [])

    out = {}
    for language in LANGUAGES:
        words = Words(
            strong=kept(data["self"]["strong"], language),
            weak=kept(data["self"]["weak"], language),
            anywhere=kept(data["self"]["anywhere"], language),
            other=kept(data["other"], language),
            subjects=kept(data["subjects"], language),
        )
        both = (words.strong | words.weak | words.anywhere) & words.other
        if both:
            raise ValueError(f"{PATH.name}: {language} words both self and other: {sorted(both)}")
        out[language] = words
    return out


def _of(language: str) -> Words:
    return _words()["es" if language == "es" else "en"]


def plain_words(text: str) -> list[str]:
    """A message's words, lower case, accents and apostrophes removed ("she's" -> "shes")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("'", "").replace("\u2019", ""))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(stripped)


def vote(words: Iterable[str], language: str = "en") -> str | None:
    """What one stretch of words in `language` says: "self", "other", or None (no one)."""
    known = _of(language)
    seen = {squeeze(w) for w in words}
    if seen & known.strong:
        return SELF
    if seen & known.other:
        return OTHER
    if seen & known.weak:
        return SELF
    return None


def about(
    stretches: Iterable[tuple[Iterable[str], str]],
    message: Iterable[str] = (),
    language: str = "en",
) -> str:
    """Whose crisis the stretches (each lexicon match's words, with the match's language) tell
    of: "other" only when one names someone else and none names the writer. When none names
    anyone, the whole message's words (in the message's language) decide: "other" only when it
    names a person it could be about and no word of the writer's own."""
    votes = {vote(words, lang) for words, lang in stretches}
    if OTHER in votes and SELF not in votes:
        return OTHER
    if votes - {None}:
        return SELF
    known = _of(language)
    seen = {squeeze(w) for w in message}
    # "my" and "mi" name the other person here ("my daughter tried to overdose"); "me" does not.
    if seen & known.subjects and not seen & (known.weak | known.anywhere | {"me"}):
        return OTHER
    return SELF


def names_self(text: str, language: str | None = None) -> bool:
    """True when the message plainly says the writer is at risk ("kill myself", "me quiero
    morir"), whoever they said they were earlier. Without a language, either language's words."""
    seen = {squeeze(w) for w in plain_words(text)}
    languages = (language,) if language else LANGUAGES
    return any(seen & _of(lang).anywhere for lang in languages)


def tells_of_other(text: str, language: str = "en") -> bool:
    """True when a whole message names someone it could be about ("i think shes with him right
    now", "my son talks about ending his life") and no word of the writer's own at risk ("me",
    "im", "myself", "quiero", "outside my house"). For a writer already known to be a parent,
    professional or friend: on its own, "he" may be the one doing harm."""
    known = _of(language)
    words = plain_words(text)
    seen = {squeeze(w) for w in words}
    own = _OWN_ES if language == "es" else _OWN
    at_home = any(a in _MINE and b in _HOME for a, b in pairwise(words))
    return bool(seen & known.subjects) and not seen & (known.anywhere | own) and not at_home


# Words that put the writer in the message's danger ("he hit me", "im scared"). In Spanish "me"
# is as often "no me contesta" (she does not answer me): only these.
_OWN = frozenset({"me", "im", "myself", "mine"})
_OWN_ES = frozenset({"yo", "estoy", "conmigo"})
# "outside my house", "en mi puerta": the danger is at the writer's own door.
_MINE = frozenset({"my", "our", "mi", "nuestra", "nuestro"})
_HOME = frozenset(
    {"house", "home", "door", "room", "car", "apartment", "casa", "puerta", "cuarto", "carro"}
    | {"departamento", "depa"}
)
