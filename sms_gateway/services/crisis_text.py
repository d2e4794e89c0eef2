"""The crisis safety net's canonical text: how a message, and every lexicon entry, becomes the
tokens the matchers compare (sms_gateway/services/safety_net.py; docs/safety_net.md).

Keeping one normaliser for both sides is the point: whatever a rewrite, an abbreviation or the
letter squeezing does to a message, it also does to the patterns. Each token is kept in three
forms:

- `word`: the canonical form the first, exact pass matches on (lower case, no accents, doubled
  letters once, texting spelt out, long crisis words matched with one typo);
- `es` / `en`: its sound-alike key in Spanish or English spelling, for the second pass. Spanish
  letters that sound the same, or that people who spell by ear mix up, collapse (b = v,
  s = z = c before e/i, c before a/o/u = qu = k, ll = y, g = j, silent h); in English fewer do
  (c = s before e/i, c = ck = k, z = s, v = b and j = h for Spanish speakers' English, the h of
  "wh" and "gh"). The keys are per language because a rule that is right in one is wrong in the
  other: dropping every h is how Spanish is misspelt, but in English it would make "hit" "it"
  and "harm" "arm".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_RE = re.compile(r"(?<=[a-z])[0134579@$!](?=[a-z])")
_JOINERS_RE = re.compile(r"[-_/~.]+")
_DOUBLES_RE = re.compile(r"([a-z])\1+")
_REPEATS_RE = re.compile(r"(\w)\1{2,}")
_ES_Y_VOWEL_RE = re.compile(r"y(?![aeiou])")
_SOFT_C_RE = re.compile(r"c(?=[eiy])")
_ES_QU_RE = re.compile(r"qu(?=[ei])")
_ES_GU_RE = re.compile(r"gu(?=[ei])")
_EN_H_RE = re.compile(r"(?<=[wg])h")
_CH = "\x00"
_HARD_G = "\x01"


class LexiconError(ValueError):
    """The lexicon file is malformed; raised at build time so a bad edit never ships."""


class Token(NamedTuple):
    """One canonical word and its Spanish and English sound-alike keys; `typed` is the word as
    typed (squeezed) when a `fuzzy` word stands in for it, so the second pass can reconsider."""

    word: str
    es: str
    en: str
    typed: str = ""


def normalize(text: str) -> str:
    """Lower-case, strip accents, squeeze letters repeated 3+ times, unify apostrophes."""
    text = text.translate(_APOSTROPHES).lower()
    if not text.isascii():  # most texts are plain ASCII: skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _REPEATS_RE.sub(r"\1", text)
    return " ".join(text.split())


def normalize_pattern(pattern: str) -> str:
    """Patterns are written with accents for readability; match them the way text is matched."""
    pattern = unicodedata.normalize("NFKD", pattern)
    return "".join(ch for ch in pattern if not unicodedata.combining(ch))


def squeeze(word: str) -> str:
    """Every doubled letter once: "kill" == "kil", "rapped" == "raped"."""
    return _DOUBLES_RE.sub(r"\1", word)


def es_key(raw: str) -> str:
    """Spanish sound-alike key of one unsqueezed word: "bibir" == "vivir", "aorcar" ==
    "ahorcar", "kiero" == "quiero", "eya" == "ella", "zeguir" == "seguir", "pelijro" ==
    "peligro", "muger" == "mujer". g and j are one letter (people who spell by ear mix them up
    before any letter, not only before e/i), except the hard g of "gue"/"gui" ("sigue")."""
    if not raw.isalpha():
        return squeeze(raw)
    w = raw.replace("ll", "y").replace("ch", _CH)
    w = _ES_QU_RE.sub("k", w).replace("q", "k")
    w = _ES_GU_RE.sub(_HARD_G, w).replace("g", "j").replace(_HARD_G, "g")
    w = _SOFT_C_RE.sub("s", w).replace("c", "k")
    w = w.replace("z", "s").replace("v", "b").replace("h", "").replace(_CH, "ch")
    return squeeze(_ES_Y_VOWEL_RE.sub("i", w)) or squeeze(raw)  # "h" alone stays "h"


def en_key(raw: str) -> str:
    """English sound-alike key of one unsqueezed word: "suiside" == "suicide", "skared" ==
    "scared", "leabe" == "leave", "tonigt" == "tonight", "iz" == "is", "jelp" == "help" (a
    Spanish j is an English h)."""
    if not raw.isalpha():
        return squeeze(raw)
    w = raw.replace("ph", "f").replace("ch", _CH).replace("ck", "k")
    w = _SOFT_C_RE.sub("s", w).replace("c", "k").replace(_CH, "ch")
    w = _EN_H_RE.sub("", w).replace("z", "s").replace("v", "b").replace("j", "h")
    return squeeze(w) or squeeze(raw)


def _one_edit_apart(a: str, b: str) -> bool:
    """True when a and b differ by at most one edit (insert, delete, substitute, swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


class Normalizer:
    """Turns any text, message or lexicon entry, into the canonical tokens both are matched on."""

    def __init__(self, data: dict[str, Any], tokenize: Callable[[str], list[str]]) -> None:
        # spaCy's tokenizer over a bounded vocabulary (crisis_vocab.py): its words, spaces left out.
        self._tokenize = tokenize
        # Code-switching glossary for the sound-alike keys: in the English key space "mi" is
        # "my" and "y" is "and", in the Spanish one "my" is "mi" ("he hit mi mama").
        glossary = (data.get("soundalike") or {}).get("spanglish") or {}
        self._glossary = {
            language: {squeeze(normalize(str(k))): normalize(str(v)) for k, v in words.items()}
            for language, words in glossary.items()
        }
        self._gloss_es = self._glossary.get("es", {})
        self._gloss_en = self._glossary.get("en", {})
        self._rewrites = [
            (re.compile(normalize_pattern(str(rule["match"]))), str(rule["replace"]))
            for rule in data.get("rewrites") or []
        ]
        # One search tells whether any rewrite can apply (almost never): skips the others.
        self._any_rewrite = (
            re.compile("|".join(f"(?:{p.pattern})" for p, _ in self._rewrites))
            if self._rewrites
            else None
        )
        # The keys of a canonical word as the lexicon spells it: a word the second pass puts in
        # (a repaired typo) has no spelling of its own.
        self._keys: dict[str, Token] = {}
        self._norms: dict[str, tuple[Token, ...]] = {}
        for source, target in (data.get("abbreviations") or {}).items():
            key = self.surface(str(source))
            if len(key) != 1:
                raise LexiconError(f"abbreviation {source!r} must be one word")
            self._norms[key[0].word] = tuple(self.surface(str(target)))
        fuzzy = data.get("fuzzy") or {}
        self._fuzzy_exclude = {t.word for w in fuzzy.get("exclude", []) for t in self.surface(w)}
        self._fuzzy_index: dict[str, Token] = {}
        for word in fuzzy.get("words", []):
            surface = self.surface(str(word))
            if len(surface) != 1 or len(surface[0].word) < 6:
                raise LexiconError(f"fuzzy word {word!r} must be one word of 6+ letters")
            token = surface[0]
            self._fuzzy_index[token.word] = token
            for i in range(len(token.word)):
                self._fuzzy_index.setdefault(token.word[:i] + token.word[i + 1 :], token)
        self._fuzzy_words = frozenset(t.word for t in self._fuzzy_index.values())
        # Words repeat across messages ("i", "me", "help"); the cache holds single words only.
        self._word = lru_cache(maxsize=65536)(self._analyse_word)

    def surface(self, text: str) -> list[Token]:
        """Characters and tokens only: no rewrites, abbreviations or typo matching."""
        return [self._token(raw) for raw in self._split(normalize(text))]

    def _token(self, raw: str) -> Token:
        """A word as typed (lower case, no accents, doubles kept) in its three forms."""
        word = squeeze(raw)
        return Token(
            word, es_key(self._gloss_es.get(word, raw)), en_key(self._gloss_en.get(word, raw))
        )

    def _split(self, normalized: str) -> list[str]:
        text = normalized.replace("'", "")
        if _LEET_RE.search(text):
            text = _LEET_RE.sub(lambda m: _LEET[m.group()], text)
        return self._tokenize(_JOINERS_RE.sub(" ", text))

    def analyse(self, text: str) -> list[Token]:
        """The tokens of a message or of one lexicon alternative, in their three forms."""
        text = normalize(text)
        if self._any_rewrite is not None and self._any_rewrite.search(text):
            for pattern, replacement in self._rewrites:
                text = pattern.sub(replacement, text)
        tokens: list[Token] = []
        for raw in self._split(text):
            tokens.extend(self._word(raw))
        return tokens

    def tokens(self, text: str) -> list[str]:
        """The canonical words of a text (the first pass's view)."""
        return [t.word for t in self.analyse(text)]

    def learn(self, tokens: list[Token]) -> None:
        """Remember how the lexicon spells its words (see `keys`)."""
        for token in tokens:
            self._keys.setdefault(token.word, token)

    def keys(self, word: str) -> Token:
        """A canonical word with the keys the lexicon gave it (computed if it never did)."""
        return self._keys.get(word) or self._token(word)

    def expand(self, word: str) -> tuple[Token, ...]:
        """A repaired canonical word as tokens: a texted form spelt out, a lexicon word with
        the keys the lexicon gave it."""
        tokens = self._word(word)  # texting spelt out, a typo of a `fuzzy` word read as it
        if len(tokens) == 1 and word in self._keys:
            return (self._keys[word]._replace(word=tokens[0].word),)
        return tokens

    def _analyse_word(self, raw: str) -> tuple[Token, ...]:
        word = squeeze(raw)
        expansion = self._norms.get(word)
        if expansion is not None:
            return expansion
        token = self._token(raw)
        fuzzy = self._fuzzy(word)
        # A typo of a crisis word reads as that word in the exact pass; its sound-alike keys
        # stay those of what was typed, on both sides, so "amenasando" still meets "amenazando".
        return (token if fuzzy is None else token._replace(word=fuzzy.word, typed=word),)

    def _fuzzy(self, word: str) -> Token | None:
        if len(word) < 5 or word in self._fuzzy_words or word in self._fuzzy_exclude:
            return None
        if not word.isalpha():
            return None
        candidates = [self._fuzzy_index.get(word)]
        candidates += [self._fuzzy_index.get(word[:i] + word[i + 1 :]) for i in range(len(word))]
        for candidate in candidates:
            if candidate is not None and _one_edit_apart(word, candidate.word):
                return candidate
        return None
