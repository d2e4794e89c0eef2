"""The crisis lexicon compiled into spaCy matchers over one token space (the canonical words, or
the Spanish or English sound-alike keys: sms_gateway/services/crisis_text.py).

The safety net builds three of these `Engine`s from the same lexicon: the exact one over every
entry, and one per language over that language's entries in its sound-alike keys (the second
pass). An engine finds matches; deciding what they mean (negatives, categories, language) is the
detector's job (safety_net.py).

Speed: a token pattern only runs when every word it requires occurs in the message (an index from
each pattern's rarest required word), and only on the stretch of the message around that word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from sms_gateway.services.crisis_patterns import END, START, PatternCompiler, Spec
from sms_gateway.services.crisis_text import LexiconError, Token
from sms_gateway.services.crisis_vocab import MessageVocab

__all__ = ["END", "START", "Engine", "Match", "PatternCompiler", "Requirement"]

# A (category, language, rule, start, end) match, start/end in tokens including the START marker.
Match = tuple[str, str, str, int, int]
# What a message must contain for a token pattern to possibly match: one word of a set, or a
# word matching an affix (checked with one regex over the message's words joined by spaces).
Requirement = frozenset[str] | re.Pattern[str]


@dataclass(frozen=True, eq=False)
class _Rule:
    """One pattern line of the lexicon, compiled, with what a message must contain for it to
    possibly match (one requirement list per token-pattern variant)."""

    key: int
    matcher: Matcher
    requirements: tuple[tuple[Requirement, ...], ...]
    # Longest span a match may have when a wide gap was compiled as `*` (0: no limit needed).
    max_width: int
    # Longest span any variant can match: a match around an anchor word lies within this many
    # tokens of it, so the rule only needs to run on that window of a long message.
    width: int


def _requirements(specs: list[Spec]) -> tuple[Requirement, ...]:
    """The word sets (and affixes) a token pattern cannot match without."""
    required: list[Requirement] = []
    for spec in specs:
        if "OP" in spec:
            continue
        orth = spec.get("ORTH")
        if isinstance(orth, str):
            required.append(frozenset([orth]))
        elif isinstance(orth, dict) and "IN" in orth:
            required.append(frozenset(orth["IN"]))
        elif isinstance(orth, dict) and "REGEX" in orth:
            affix = orth["REGEX"]
            joined = f"(?:^| ){affix[1:]}" if affix.startswith("^") else f"{affix[:-1]}(?: |$)"
            required.append(re.compile(joined))
    return tuple(required)


def _width(specs: list[Spec]) -> int:
    """The longest span a token pattern can match, counting wide gaps at their stated width."""
    width = 0
    for spec in specs:
        op = spec.get("OP")
        if op == "*":
            width += int(spec["_width"])
        elif op and op.startswith("{"):
            width += int(op.strip("{}").split(",")[1])
        else:
            width += 1
    return width


def _spacy_spec(spec: Spec) -> Spec:
    """Drop the compiler's private keys before handing a token spec to spaCy."""
    return {k: v for k, v in spec.items() if not k.startswith("_")}


def _satisfied(requirement: Requirement, words: set[str], joined: str) -> bool:
    if isinstance(requirement, frozenset):
        return not words.isdisjoint(requirement)
    return requirement.search(joined) is not None


class Engine:
    """Phrases and token patterns of some lexicon entries, over one view of the tokens."""

    def __init__(
        self,
        nlp: Any,
        messages: MessageVocab,
        view: Callable[[Token], str],
        analyse: Callable[[str], list[Token]],
        surface: Callable[[str], list[Token]],
        macros: dict[str, str],
        common: set[str],
    ) -> None:
        # The matchers are compiled on `nlp`'s vocabulary; messages are read on `messages`, which
        # is bounded (crisis_vocab.py).
        self._nlp = nlp
        self._messages = messages
        self._view = view
        self._analyse = analyse
        self._phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._labels: dict[int, tuple[str, str, str]] = {}
        self._rules: list[_Rule] = []
        self._compiler = PatternCompiler(
            self.tokens, lambda text: [view(t) for t in surface(text)], macros
        )
        self._common = {view(t) for w in common for t in analyse(w)} | {START, END}
        self.vocabulary: set[str] = set()
        # Canonical word -> its keys in these entries, and key -> canonical words (see
        # `worth_scanning`).
        self._keys_of: dict[str, set[str]] = {}
        self._words_of: dict[str, set[str]] = {}
        self._homophones: set[str] = set()
        # How often each word occurs in the entries (macros counted each time they are used).
        self.counts: Counter[str] = Counter()

    def tokens(self, text: str) -> list[str]:
        # An empty key is a word that key space leaves out (the glossary's "por" of "porfa").
        analysed = self._analyse(text)
        words = [w for w in map(self._view, analysed) if w]
        self.vocabulary.update(words)
        for token in analysed:
            self._keys_of.setdefault(token.word, set()).add(self._view(token))
            self._words_of.setdefault(self._view(token), set()).add(token.word)
        self.counts.update(words)
        return words

    def add(self, category: str, language: str, entries: dict[str, Any]) -> None:
        for phrase in entries.get("phrases") or []:
            words = self.tokens(str(phrase))
            if not words:
                raise LexiconError(f"empty phrase under {category}/{language}")
            key = self._label(category, language, f"phrase: {phrase}")
            self._phrases.add(key, [Doc(self._nlp.vocab, words=words)])
        for pattern in entries.get("patterns") or []:
            key = self._label(category, language, f"pattern: {pattern}")
            variants = self._compiler.compile(str(pattern))
            wide = any(spec.get("OP") == "*" for v in variants for spec in v)
            width = max(_width(v) for v in variants)
            matcher = Matcher(self._nlp.vocab, validate=True)
            matcher.add(key, [[_spacy_spec(spec) for spec in v] for v in variants])
            requirements = tuple(_requirements(v) for v in variants)
            self._rules.append(
                _Rule(self._nlp.vocab.strings[key], matcher, requirements, width * wide, width)
            )

    def _label(self, category: str, language: str, rule: str) -> str:
        key = f"{category}|{language}|{rule}"
        self._labels[self._nlp.vocab.strings.add(key)] = (category, language, rule)
        return key

    def index(self) -> None:
        """Index each token-pattern variant under its rarest required word set (call once, after
        every `add`).

        "Rarest" is judged cheaply: everyday words (the language hints, which are function words)
        cost more than content words, and a set costs the sum of its words. A variant with no
        required word (only affixes, say) is always run.
        """

        self._homophones = {k for k, words in self._words_of.items() if len(words) > 1}

        def cost(words: frozenset[str]) -> int:
            return sum(25 if w in self._common or len(w) <= 3 else 1 for w in words)

        self._index: dict[str, list[tuple[_Rule, tuple[Requirement, ...], frozenset[str]]]] = {}
        self._always: list[tuple[_Rule, tuple[Requirement, ...]]] = []
        for rule in self._rules:
            for requirements in rule.requirements:
                word_sets = [r for r in requirements if isinstance(r, frozenset)]
                if not word_sets:
                    self._always.append((rule, requirements))
                    continue
                anchor = min(word_sets, key=cost)
                others = tuple(r for r in requirements if r is not anchor)
                for word in anchor:
                    self._index.setdefault(word, []).append((rule, others, anchor))

    def worth_scanning(self, tokens: Iterable[Token]) -> bool:
        """Whether a sound-alike scan can find what the exact one did not: only when some word
        sounds like a word of these entries but is not spelt the way they spell it ("bibir",
        "boy" for "voy", "lla" for "ya"), or sounds like two of their words ("were", "where").
        Skipping the rest keeps the second pass cheap on ordinary messages."""
        return any(self.suspicious(t) for t in tokens)

    def suspicious(self, token: Token) -> bool:
        key = self._view(token)
        return key in self.vocabulary and (
            key not in self._keys_of.get(token.word, ()) or key in self._homophones
        )

    def size(self) -> dict[str, int]:
        return {"token_pattern_rules": len(self._rules), "phrases": len(self._phrases)}

    def candidates(self, words: list[str]) -> dict[_Rule, set[str] | None]:
        """The rules whose required words all occur in the message (the only ones worth
        running), each with the anchor words found (None: run it on the whole message)."""
        present = {START, END, *words}
        joined = " ".join(words)
        chosen: dict[_Rule, set[str] | None] = {}
        for rule, requirements in self._always:
            if all(_satisfied(r, present, joined) for r in requirements):
                chosen[rule] = None
        for word in present:
            for rule, others, anchor in self._index.get(word, ()):
                anchors = chosen.get(rule, set())
                if anchors is None or word in anchors:
                    continue
                if all(_satisfied(r, present, joined) for r in others):
                    chosen[rule] = anchors | present.intersection(anchor)
        return chosen

    @staticmethod
    def _windows(
        anchors: set[str] | None, positions: dict[str, list[int]], width: int, length: int
    ) -> list[tuple[int, int]]:
        """The stretches of the message a rule must look at: around each anchor word, as far as
        the rule's longest match reaches; the whole message when that is about the same."""
        if anchors is None or 3 * width >= length:
            return [(0, length)]
        spans = sorted(
            (max(0, p - width), min(length, p + width + 1)) for a in anchors for p in positions[a]
        )
        merged = [spans[0]]
        for start, end in spans[1:]:
            if start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def scan(self, words: list[str]) -> list[Match]:
        """Every phrase and pattern match in a message, negatives included, unfiltered."""
        if not words:
            return []
        tokens = [START, *words, END]
        doc = self._messages.doc(tokens)
        found = list(self._phrases(doc))
        positions: dict[str, list[int]] = {}
        for i, token in enumerate(tokens):
            positions.setdefault(token, []).append(i)
        for rule, anchors in self.candidates(words).items():
            for start, end in self._windows(anchors, positions, rule.width, len(tokens)):
                matches = rule.matcher(doc[start:end]) if end - start < len(tokens) else None
                if matches is None:
                    matches = rule.matcher(doc)
                elif start:
                    matches = [(key, s + start, e + start) for key, s, e in matches]
                if rule.max_width:
                    matches = [m for m in matches if m[2] - m[1] <= rule.max_width]
                found.extend(matches)
        return [(*self._labels[key], start, end) for key, start, end in found]
