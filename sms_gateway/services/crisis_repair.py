"""The second pass's repairs: unknown words that are lexicon words with a letter missing, or
lexicon words typed without a space (docs/safety_net.md, "The sound-alike pass").

A word counts as known when the lexicon (any entry, negative, hint or abbreviation) has it in
canonical form or as a Spanish or English sound-alike key. Known words are never changed, so
an ordinary word the lexicon uses keeps its meaning; only words the lexicon has never seen are
repaired, and only in the second pass, which runs when the exact pass found no crisis:

- texted forms that are too ambiguous for the first pass (`soundalike.abbreviations`: "toy" ->
  "estoy", "ta" -> "esta", "x" -> "por");
- a missing letter: "slamed" for "slammed", "sucide" is already a `fuzzy` word, "matame" ->
  "matarme". The first letter is never the missing one (people rarely drop it);
- run-together words: "killmyself", "mequiero", "ami" -> "a mi", "hombreen" -> "hombre en"
  (the squeezed double letter at the seam is tried on both sides), into two or three known
  words. `soundalike.no_split` lists real words that must stay whole ("therapist" is not "the
  rapist").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from sms_gateway.services.crisis_text import Token, squeeze

# One-letter words a run-together word may contain ("ami" = "a mi", "yo" is two letters).
_ONE_LETTER = frozenset("ayioe")
_MIN_DELETION = 5  # a lexicon word of 5+ letters may be typed with one letter missing
_MIN_SPLIT = 3
_MAX_PARTS = 4
_MAX_DELETIONS = 4
_MIN_LONG_FORM = 7
_MAX_SPLITS = 3
_MAX_CHOICES = 5  # repairs tried for one word, hence token streams for one message

# A repaired message: each token with the index of the first-pass token it comes from.
Repaired = list[tuple[Token, int]]


class Repairer:
    """Built from the lexicon's vocabulary; `repair` returns the second pass's tokens."""

    def __init__(
        self,
        known: tuple[set[str], set[str], set[str]],
        crisis_words: dict[str, int],
        expand: Callable[[str], tuple[Token, ...]],
        abbreviations: Iterable[str],
        loose: dict[str, tuple[Token, ...]],
        no_split: Iterable[str],
        spellings: Iterable[str] = (),
    ) -> None:
        self._words, self._es, self._en = known
        self._expand = expand
        self._loose = loose
        self._no_split = frozenset(no_split)
        self._abbreviations = frozenset(abbreviations)
        # Split parts: any known canonical word or texted form, but single letters only if they
        # are words on their own.
        spellings = frozenset(spellings)
        self._parts = frozenset(
            w
            for w in (*self._words, *spellings, *self._abbreviations)
            if len(w) > 1 or w in _ONE_LETTER
        )
        self._counts = crisis_words
        deletions: dict[str, set[str]] = {}
        # Texted forms are repair targets only when long ("stebrother"): "sing" is not "shing".
        long_forms = {w for w in self._abbreviations if len(w) >= _MIN_LONG_FORM}
        for word in sorted({*self._words, *spellings, *long_forms, *self._no_split}):
            if len(word) >= _MIN_DELETION and word.isalpha():
                for i in range(1, len(word)):
                    short = squeeze(word[:i] + word[i + 1 :])
                    if short != word and len(short) >= _MIN_DELETION - 1:
                        deletions.setdefault(short, set()).add(word)
        # Several lexicon words may lose a letter to the same string ("quier": "quiero",
        # "quiera"): the ones the crisis entries use most are tried, most used first.
        self._deletions = {
            short: sorted(words, key=lambda w: (-crisis_words.get(w, 0), w))[:_MAX_DELETIONS]
            for short, words in deletions.items()
            if short not in self._words
        }

    def known(self, token: Token) -> bool:
        return token.word in self._words

    def repair(self, tokens: list[Token]) -> list[Repaired]:
        """The repaired token streams to try, in order: none when nothing needed repairing; a
        second one when a word could be either a missing letter or two words run together
        ("tose": "those" or "to see")."""
        per_token = [self._options(token) for token in tokens]
        choices = max((len(options) for options in per_token), default=0)
        streams: list[Repaired] = []
        for choice in range(choices):
            stream: Repaired = []
            for origin, (token, options) in enumerate(zip(tokens, per_token, strict=True)):
                picked = options[min(choice, len(options) - 1)] if options else (token,)
                stream.extend((t, origin) for t in picked)
            streams.append(stream)
        return streams

    def _options(self, token: Token) -> list[tuple[Token, ...]]:
        """The repairs to try for one word, best first; none for a word the lexicon knows."""
        word = token.word
        loose = self._loose.get(word)
        if loose is not None:
            return [loose]
        if token.typed:  # a `fuzzy` word stood in for it: the typo may be another word's
            word = token.typed
        elif self.known(token) or not word.isalpha() or len(word) < _MIN_SPLIT:
            return []
        options: list[tuple[Token, ...]] = []
        # As typed first when that may be right: a `fuzzy` typo, or a sound-alike spelling of
        # a lexicon word ("toka", "leabe").
        if token.typed or token.es in self._es or token.en in self._en:
            options.append((token,))
        options += [self._expand(fixed) for fixed in self._deletions.get(word, ())[:_MAX_DELETIONS]]
        if word not in self._no_split:
            options += [
                tuple(t for w in parts for t in self._expand(w)) for parts in self._split(word)
            ]
        if options == [(token,)]:
            return []
        return options[:_MAX_CHOICES]

    def _split(self, word: str) -> list[tuple[str, ...]]:
        """The best splits into fewest known words: the ones whose words the crisis entries use
        most first ("for my", not "form y"; "to kill", not "tok kill"). Several, because use
        alone cannot tell "got here" from "go there"."""
        scored: dict[tuple[str, ...], tuple[int, float]] = {}
        for parts in self._splits(word, _MAX_PARTS):
            scored[parts] = (len(parts), -sum(math.log1p(self._counts.get(p, 0)) for p in parts))
        ranked = sorted(scored, key=lambda parts: (scored[parts], parts))
        return [p for p in ranked[:_MAX_SPLITS] if len(p) == len(ranked[0])]

    def _splits(self, word: str, most: int) -> Iterable[tuple[str, ...]]:
        """Every split into known parts; the squeezed double letter at a seam ("hombren" for
        "hombreen") may belong to both sides."""
        if most < 2:
            return
        for k in range(1, len(word)):
            head = word[:k]
            if head not in self._parts:
                continue
            for tail in (word[k:], word[k - 1 :]) if k > 1 else (word[k:],):
                if tail in self._parts:
                    yield (head, tail)
                elif most > 2:
                    for rest in self._splits(tail, most - 1):
                        yield (head, *rest)
