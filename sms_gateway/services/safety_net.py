"""The crisis safety net: a deterministic detector that runs on every inbound message before
Rasa, so that danger, suicide, self-harm and sexual-assault messages get the emergency options in
the very first reply even when the assistant is down, slow or wrong (non-negotiable 1).

Why deterministic and not a model: it must work with nothing else running, give the same answer
for the same text every time, be fast enough to run on every message, and be reviewable line by
line by the people who own the helpline's safety. It is spaCy's rule engine (blank pipeline, no
downloaded weights) over a lexicon kept in resources/data/crisis_lexicon.yml:

1. the message is brought to one canonical form, the way people actually text
   (crisis_text.py): lower case, no accents, doubled letters once, texting spelt out, long crisis
   words matched with one typo;
2. the exact pass: a `PhraseMatcher` and `Matcher`s (crisis_rules.py) find crisis spans for each
   category and language; both languages' rules run on every message, so Spanglish is covered;
3. only when the exact pass finds no crisis, the sound-alike pass: words the lexicon has never
   seen are repaired (a missing letter, words run together: crisis_repair.py), and each
   language's entries are matched again on sound-alike keys ("bibir" = "vivir", "suiside" =
   "suicide"). Running it second keeps the exact pass's categories and language whenever it
   answers, and costs time only on messages that did not fire;
4. hard negatives ("dying to", "me muero de risa") are matched the same way, in both passes, and
   a crisis span that overlaps one does not count; a category's `exceptions` do the same for
   that category only ("me pego a mi misma" is not "he hit me", and is still self-harm);
5. the categories found are ranked danger > suicide > self_harm > sexual_assault, and the reply
   language is the one the message is mostly written in.

Nothing here logs or keeps message text. What is kept of messages is single words, in bounded
places only: a word cache, and spaCy's vocabulary for messages, which is renewed when it grows
(crisis_vocab.py; spaCy itself never forgets a string).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

import spacy
import yaml

from resources.crisis_person import SELF, about, plain_words
from sms_gateway.services.crisis_repair import Repaired, Repairer
from sms_gateway.services.crisis_rules import END, START, Engine, Match
from sms_gateway.services.crisis_text import (
    LexiconError,
    Normalizer,
    Token,
    normalize,
    normalize_pattern,
)
from sms_gateway.services.crisis_vocab import DEFAULT_LIMIT, MessageVocab

__all__ = [
    "END",
    "LANGUAGES",
    "LEXICON_PATH",
    "PRIORITY",
    "START",
    "CrisisDetector",
    "CrisisSignal",
    "LexiconError",
    "RuleHit",
    "default_detector",
    "normalize",
    "normalize_pattern",
]

LEXICON_PATH = Path(__file__).resolve().parents[2] / "resources" / "data" / "crisis_lexicon.yml"
# The order in which categories win when a message matches several: the reply for the first
# one is sent, and every matched category is recorded for the handoff.
PRIORITY = ("danger", "suicide", "self_harm", "sexual_assault")
LANGUAGES = ("en", "es")
_NEGATIVE = "negative"
# A category's exceptions are negatives for that category only: "negative:danger".
_SCOPE = ":"
EXACT, SOUNDALIKE = "exact", "soundalike"
# How far from a crisis match a misspelt word may be and still belong to a hard negative over it
# (negatives are short: docs/safety_net.md).
_REACH = 4
# Messages longer than this (in tokens) get one repaired reading and no misspelt-negative check
# of an exact crisis: each costs a full scan, and the latency budget is per message.
_MAX_ALTERNATIVES_TOKENS = 24
# libyaml when present (10x faster on this file), the pure-Python loader otherwise.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class CrisisSignal:
    category: str
    categories: tuple[str, ...]
    language: str
    # Whose crisis: "self" (the writer) or "other" ("my son talks about ending his life"),
    # read on the words of the matches that fired (resources/crisis_person.py).
    about: str = SELF


@dataclass(frozen=True)
class RuleHit:
    """One lexicon entry that fired (for tests, the evaluation and reviewers; never logged).
    `start`/`end` count the message's canonical tokens (the exact pass's), plus the start
    marker; `stage` is the pass that found it."""

    category: str
    language: str
    rule: str
    start: int
    end: int
    suppressed: bool
    stage: str = EXACT


class CrisisDetector:
    """Deterministic crisis detection over the lexicon; build once, then `detect` per message."""

    def __init__(self, lexicon_path: Path = LEXICON_PATH, vocab_limit: int = DEFAULT_LIMIT) -> None:
        text = Path(lexicon_path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a SafeLoader (C or Python)
        if not isinstance(data, dict) or "categories" not in data:
            raise LexiconError(f"{lexicon_path} has no categories")
        # The matchers are compiled on this vocabulary, which only the lexicon fills; messages are
        # read on a bounded one of their own (crisis_vocab.py: spaCy never forgets a string).
        self._nlp = spacy.blank("xx")
        self._messages = MessageVocab(self._nlp, vocab_limit)
        self._normalizer = Normalizer(data, self._messages.words)
        memo: dict[str, list[Token]] = {}
        # The lexicon's words as written (before a `fuzzy` word stands in for a typo).
        spellings: set[str] = set()

        def analyse(entry: str) -> list[Token]:
            # Macros repeat the same words hundreds of times; messages never go through here.
            if entry not in memo:
                memo[entry] = self._normalizer.analyse(entry)
                self._normalizer.learn(memo[entry])
                spellings.update(t.word for t in self._normalizer.surface(entry))
            return memo[entry]

        macros = {k: str(v) for k, v in (data.get("macros") or {}).items()}
        hints = data.get("language_hints") or {}
        common = {str(w) for words in hints.values() for w in words}

        def engine(view: str) -> Engine:
            surface = self._normalizer.surface
            return Engine(
                self._nlp, self._messages, attrgetter(view), analyse, surface, macros, common
            )

        self._exact = engine("word")
        self._keyed = {language: engine(language) for language in LANGUAGES}
        categories = data["categories"]
        for category, languages in categories.items():
            if category not in PRIORITY:
                raise LexiconError(f"unknown category {category!r}")
            for language, entries in (languages or {}).items():
                self._add(category, language, entries or {})
        # Crisis entries' words win a tie between two repairs (crisis_repair.py).
        crisis_words = dict(self._exact.counts)
        for language, entries in (data.get("hard_negatives") or {}).items():
            self._add(_NEGATIVE, language, entries or {})
        for category, languages in categories.items():
            for language, entries in (languages or {}).items():
                exceptions = (entries or {}).get("exceptions")
                if exceptions:
                    self._add(f"{_NEGATIVE}{_SCOPE}{category}", language, exceptions)
        for built in (self._exact, *self._keyed.values()):
            built.index()
        self._hints = {
            language: frozenset(t.word for w in hints.get(language, []) for t in analyse(str(w)))
            for language in LANGUAGES
        }
        self._repairer = self._build_repairer(data, analyse, crisis_words, spellings)

    # -- building ----------------------------------------------------------------------------

    def _add(self, category: str, language: str, entries: dict[str, Any]) -> None:
        if language not in LANGUAGES:
            raise LexiconError(f"unknown language {language!r} under {category}")
        self._exact.add(category, language, entries)
        self._keyed[language].add(category, language, entries)

    def _build_repairer(
        self,
        data: dict[str, Any],
        analyse: Any,
        crisis_words: dict[str, int],
        spellings: set[str],
    ) -> Repairer:
        soundalike = data.get("soundalike") or {}
        loose = {}
        for source, target in (soundalike.get("abbreviations") or {}).items():
            words = self._normalizer.surface(str(source))
            if len(words) != 1:
                raise LexiconError(f"sound-alike abbreviation {source!r} must be one word")
            loose[words[0].word] = tuple(analyse(str(target)))
        extra = [
            t
            for text in (
                *(str(w) for ws in (data.get("language_hints") or {}).values() for w in ws),
                *(str(v) for v in (data.get("abbreviations") or {}).values()),
                # Real words one typo from a crisis word are words, not typos to repair.
                *(str(w) for w in (data.get("fuzzy") or {}).get("exclude") or []),
            )
            for t in analyse(text)
        ]
        known = (
            self._exact.vocabulary | {t.word for t in extra},
            self._keyed["es"].vocabulary,
            self._keyed["en"].vocabulary,
        )
        abbreviations = [
            t.word for s in (data.get("abbreviations") or {}) for t in self._normalizer.surface(s)
        ]
        no_split = [t.word for w in soundalike.get("no_split") or [] for t in analyse(str(w))]
        expand = self._normalizer.expand
        return Repairer(
            known, crisis_words, expand, abbreviations, loose, no_split, spellings - known[0]
        )

    # -- detection ---------------------------------------------------------------------------

    def canonical(self, text: str) -> list[str]:
        """The tokens a message is matched on in the exact pass (for reviewers and tests)."""
        return self._normalizer.tokens(text)

    def soundalike(self, text: str) -> list[Token]:
        """The sound-alike pass's tokens, repairs applied (for reviewers and tests)."""
        tokens = self._normalizer.analyse(text)
        streams = self._repairer.repair(tokens)
        return [t for t, _ in streams[0]] if streams else tokens

    def size(self) -> dict[str, int]:
        """How big the compiled lexicon is (for the benchmark and the docs)."""
        return self._exact.size()

    def vocabulary(self) -> dict[str, int]:
        """How many strings spaCy holds: the lexicon's (fixed once built) and the messages'
        (bounded: crisis_vocab.py), with how often the latter was renewed (tests, benchmark)."""
        return {
            "lexicon_strings": len(self._nlp.vocab.strings),
            "message_strings": self._messages.strings,
            "message_lexemes": self._messages.lexemes,
            "message_vocab_resets": self._messages.resets,
        }

    def rules_run(self, text: str) -> int:
        """How many token-pattern rules a message makes run, in both passes."""
        tokens = self._normalizer.analyse(text)
        count = len(self._exact.candidates([t.word for t in tokens]))
        if not self._fires(self._stage_hits(self._exact.scan([t.word for t in tokens]))):
            count += sum(
                len(self._keyed[lang].candidates([getattr(t, lang) for t in tokens]))
                for lang in LANGUAGES
            )
        return count

    def hits(self, text: str) -> list[RuleHit]:
        """Every rule that fired, crisis and negative, with whether it was suppressed: the exact
        pass's, then the sound-alike pass's when the exact pass found no crisis."""
        return self._scan(self._normalizer.analyse(text))[0]

    def _scan(self, tokens: list[Token]) -> tuple[list[RuleHit], list[str]]:
        """The hits, and the canonical words the winning pass saw (for the language vote)."""
        if not tokens:
            return [], []
        words = [t.word for t in tokens]
        exact = self._exact.scan(words)
        hits = self._stage_hits(exact)
        streams = self._repairer.repair(tokens)
        # Words the second pass may read differently: repaired, or sound-alike spellings.
        suspects = {i for s in streams for t, i in s if t != tokens[i]} | {
            i for i, t in enumerate(tokens) if any(e.suspicious(t) for e in self._keyed.values())
        }
        if not suspects:
            return hits, words  # nothing is misspelt: the second pass would see the same
        # With a crisis found, only a word the lexicon does not know can hide a misspelt
        # negative next to it ("emergency selter").
        unknown = {i for i, t in enumerate(tokens) if not self._repairer.known(t)}
        if self._fires(hits) and (
            len(tokens) > _MAX_ALTERNATIVES_TOKENS
            or not any(
                h.start - _REACH <= i + 1 < h.end + _REACH
                for h in hits
                if not _is_negative(h.category) and not h.suppressed
                for i in unknown
            )
        ):
            return hits, words  # no misspelt negative can be next to the crisis found
        identity = [(t, i) for i, t in enumerate(tokens)]
        negatives = [m for m in exact if _is_negative(m[0])]
        # Alternative repairs are tried on short messages only (an SMS-length crisis message
        # rarely needs them, and each costs a full scan); the exact pass's crisis needs only
        # the best reading to be checked against misspelt negatives.
        if self._fires(hits) or len(tokens) > _MAX_ALTERNATIVES_TOKENS:
            streams = streams[:1]
        found = [self._soundalike_matches(r, tokens, negatives) for r in streams or [identity]]
        # Negatives are read with the same tolerance as crises: "emergency selter" is still
        # "emergency shelter". A negative that rests on a word the streams repair differently
        # ("me corte" or "me corto" for "me cort"), or that excludes a word ("en peligro de
        # !muerte"), counts only in its own stream.
        differ = {
            i
            for i in range(len(tokens))
            if len({tuple(t for t, o in s if o == i) for s in streams}) > 1
        }
        shared = [
            m
            for ms in found
            for m in ms
            if _is_negative(m[0])
            and "!" not in m[2]
            and differ.isdisjoint(range(m[3] - 1, m[4] - 1))
        ]
        if self._fires(hits):
            hits = self._stage_hits(exact + shared)
            if self._fires(hits):
                return hits, words
        second: list[RuleHit] = []
        for repaired, matches in zip(streams or [identity], found, strict=True):
            second = [
                h
                for h in self._stage_hits(matches + shared, SOUNDALIKE)
                if not _is_negative(h.category)
            ]
            if self._fires(second):
                return hits + second, [t.word for t, _ in repaired]
        return hits + second, words

    def _soundalike_matches(
        self, repaired: Repaired, tokens: list[Token], negatives: list[Match]
    ) -> list[Match]:
        """The second pass's matches over one repaired token stream, as spans over the exact
        pass's tokens. Unrepaired, the exact matchers have nothing new to see; repaired, they
        run again (the repaired words are lexicon words), and the exact pass's negatives count
        only where no word was repaired (a negative excluding "muerte" must see the repair)."""
        length = len(tokens)
        changed = {i for t, i in repaired if t != tokens[i]}
        found = [m for m in negatives if changed.isdisjoint(range(m[3] - 1, m[4] - 1))]
        if changed:
            found += self._map(self._exact.scan([t.word for t, _ in repaired]), repaired, length)
        for language in LANGUAGES:
            # An empty key is a word that key space leaves out (crisis_rules.py).
            kept = [(t, i) for t, i in repaired if getattr(t, language)]
            if not self._keyed[language].worth_scanning(t for t, _ in kept):
                continue
            matches = self._keyed[language].scan([getattr(t, language) for t, _ in kept])
            found += self._map(matches, kept, length)
        return found

    @staticmethod
    def _map(matches: list[Match], repaired: Repaired, length: int) -> list[Match]:
        """Spans over the repaired tokens, as spans over the exact pass's tokens."""
        origin = [0, *(i + 1 for _, i in repaired), length + 1]
        return [(c, lang, rule, origin[s], origin[e - 1] + 1) for c, lang, rule, s, e in matches]

    @staticmethod
    def _stage_hits(found: list[Match], stage: str = EXACT) -> list[RuleHit]:
        """The matches as hits, each crisis one suppressed when a hard negative, or an exception
        of its own category, overlaps it."""
        negatives = [(c, s, e) for c, _, _, s, e in found if _is_negative(c)]
        hits = []
        for category, language, rule, start, end in sorted(found, key=lambda m: (m[3], m[4])):
            scopes = (_NEGATIVE, f"{_NEGATIVE}{_SCOPE}{category}")
            suppressed = not _is_negative(category) and any(
                start < n_end and n_start < end and scope in scopes
                for scope, n_start, n_end in negatives
            )
            hits.append(RuleHit(category, language, rule, start, end, suppressed, stage))
        return hits

    @staticmethod
    def _fires(hits: list[RuleHit]) -> bool:
        return any(not _is_negative(h.category) and not h.suppressed for h in hits)

    def detect(self, text: str) -> CrisisSignal | None:
        """The crisis this message signals, if any: any text in, a signal or None out."""
        tokens = self._normalizer.analyse(text)
        hits, words = self._scan(tokens)
        first_language: dict[str, str] = {}
        votes = dict.fromkeys(LANGUAGES, 0)
        for hit in hits:
            if _is_negative(hit.category) or hit.suppressed:
                continue
            first_language.setdefault(hit.category, hit.language)
            votes[hit.language] += 2
        if not first_language:
            return None
        ordered = tuple(c for c in PRIORITY if c in first_language)
        # Spans count the exact pass's tokens (after a start marker), whichever pass found them.
        exact = [t.word for t in tokens]
        fired = [
            (exact[max(h.start - 1, 0) : h.end - 1], h.language)
            for h in hits
            if h.category == ordered[0] and not h.suppressed
        ]
        language = self._language(words, votes, first_language[ordered[0]])
        return CrisisSignal(
            category=ordered[0],
            categories=ordered,
            language=language,
            about=about(fired, plain_words(text), language),
        )

    def _language(self, words: Iterable[str], votes: dict[str, int], fallback: str) -> str:
        """The language the person mostly writes in, so the reply is one they read: each crisis
        match counts two, each everyday word one; a tie goes to the winning match's language."""
        for word in words:
            for language in LANGUAGES:
                if word in self._hints[language]:
                    votes[language] += 1
        if votes["es"] == votes["en"]:
            return fallback
        return "es" if votes["es"] > votes["en"] else "en"


def _is_negative(category: str) -> bool:
    """A hard negative ("negative") or a category's exception ("negative:danger")."""
    return category.partition(_SCOPE)[0] == _NEGATIVE


@lru_cache(maxsize=1)
def default_detector() -> CrisisDetector:
    """Built once per process: construction compiles the whole lexicon."""
    return CrisisDetector()
