"""The crisis safety net: a deterministic detector that runs on every inbound message before
Rasa, so that danger, suicide, self-harm and sexual-assault messages get the emergency options in
the very first reply even when the assistant is down, slow or wrong (non-negotiable 1).

Why deterministic and not a model: it must work with nothing else running, give the same answer
for the same text every time, be fast enough to run on every message, and be reviewable line by
line by the people who own the helpline's safety. It is spaCy's rule engine (blank pipeline, no
downloaded weights) over a lexicon kept in resources/data/crisis_lexicon.yml:

1. the message is brought to one canonical form, the way people actually text: lower case, no
   accents, repeated letters squeezed ("heeelp", "kil" == "kill"), apostrophes dropped ("i'm" ==
   "im"), look-alike digits inside words read as letters ("su1c1de"), texting abbreviations and
   contractions spelt out ("ima" -> "i am going to", "u" -> "you", "kiero" -> "quiero"), and a
   short list of long crisis words matched even with one typo ("sucidal");
2. a `PhraseMatcher` (fixed phrases) and `Matcher`s (token patterns) find crisis spans for each
   category and language; both languages' rules run on every message, so Spanglish is covered;
3. hard negatives ("dying to", "shoot me a text", "me muero de risa") are matched the same way,
   and a crisis span that overlaps one does not count;
4. the categories found are ranked danger > suicide > self_harm > sexual_assault, and the reply
   language is the one the message is mostly written in.

The lexicon side (patterns, phrases, abbreviations) goes through the very same normalisation as
the message, so a pattern written naturally ("wanna die") matches every way of texting it.

Speed: a token pattern only runs when every word it requires occurs in the message (an index
from each pattern's rarest required word), so most messages run a handful of patterns, not all.
Nothing here logs or keeps message text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

LEXICON_PATH = Path(__file__).resolve().parents[2] / "resources" / "data" / "crisis_lexicon.yml"
# The order in which categories win when a message matches several: the reply for the first
# one is sent, and every matched category is recorded for the handoff.
PRIORITY = ("danger", "suicide", "self_harm", "sexual_assault")
LANGUAGES = ("en", "es")
# Markers put around every message so that a pattern can say "at the start" ("<s> call 911").
START, END = "<s>", "</s>"
_NEGATIVE = "negative"
# A single pattern may expand (alternatives of different lengths) into at most this many token
# patterns: more means the pattern should be split, and the build fails loudly.
_MAX_EXPANSION = 64
# libyaml when present (10x faster on this file), the pure-Python loader otherwise.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_RE = re.compile(r"(?<=[a-z])[0134579@$!](?=[a-z])")
_JOINERS_RE = re.compile(r"[-_/~.]+")
_DOUBLES_RE = re.compile(r"([a-z])\1+")
_REPEATS_RE = re.compile(r"(\w)\1{2,}")
_SLOT_RE = re.compile(r"(?:\[[^\]]*\]|[^\s\[])+")
_ALTERNATIVE_RE = re.compile(r"\[([^\]]*)\]|([^|]+)")
_WILDCARD_RE = re.compile(r"\*(\d{1,2})")
_MACRO_RE = re.compile(r"\$([A-Z_]+)")
# spaCy expands a `{0,N}` gap into N optional tokens, whose partial matches multiply: N=12 costs
# ~20x a `*` gap. Wider gaps are therefore compiled as `*` and their width enforced afterwards on
# the span length (the pattern's longest possible span).
_WIDE_GAP = 4

Spec = dict[str, Any]


@dataclass(frozen=True)
class CrisisSignal:
    category: str
    categories: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class RuleHit:
    """One lexicon entry that fired (for tests, the evaluation and reviewers; never logged)."""

    category: str
    language: str
    rule: str
    start: int
    end: int
    suppressed: bool


class LexiconError(ValueError):
    """The lexicon file is malformed; raised at build time so a bad edit never ships."""


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


class _Normalizer:
    """Turns any text, message or lexicon entry, into the canonical tokens both are matched on.

    Keeping one normaliser for both sides is the point: whatever a rewrite, an abbreviation or the
    letter squeezing does to a message, it also does to the patterns.
    """

    def __init__(self, data: dict[str, Any], tokenizer: Any) -> None:
        self._tokenizer = tokenizer
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
        self._norms: dict[str, tuple[str, ...]] = {}
        for source, target in (data.get("abbreviations") or {}).items():
            key = self.surface(str(source))
            if len(key) != 1:
                raise LexiconError(f"abbreviation {source!r} must be one word")
            self._norms[key[0]] = tuple(self.surface(str(target)))
        fuzzy = data.get("fuzzy") or {}
        self._fuzzy_exclude = {w for word in fuzzy.get("exclude", []) for w in self.surface(word)}
        self._fuzzy_index: dict[str, str] = {}
        for word in fuzzy.get("words", []):
            surface = self.surface(str(word))
            if len(surface) != 1 or len(surface[0]) < 6:
                raise LexiconError(f"fuzzy word {word!r} must be one word of 6+ letters")
            word_key = surface[0]
            self._fuzzy_index[word_key] = word_key
            for i in range(len(word_key)):
                self._fuzzy_index.setdefault(word_key[:i] + word_key[i + 1 :], word_key)
        self._fuzzy_words = frozenset(self._fuzzy_index.values())
        # Words repeat across messages ("i", "me", "help"); the cache holds single words only.
        self.fuzzy = lru_cache(maxsize=65536)(self._fuzzy)

    def surface(self, text: str) -> list[str]:
        """Characters and tokens only: no rewrites, abbreviations or typo matching."""
        return self._split(normalize(text))

    def _split(self, normalized: str) -> list[str]:
        text = normalized.replace("'", "")
        if _LEET_RE.search(text):
            text = _LEET_RE.sub(lambda m: _LEET[m.group()], text)
        text = _DOUBLES_RE.sub(r"\1", _JOINERS_RE.sub(" ", text))
        return [t.text for t in self._tokenizer(text) if not t.is_space]

    def tokens(self, text: str) -> list[str]:
        """The canonical tokens of a message or of one lexicon alternative."""
        text = normalize(text)
        if self._any_rewrite is not None and self._any_rewrite.search(text):
            for pattern, replacement in self._rewrites:
                text = pattern.sub(replacement, text)
        words: list[str] = []
        for word in self._split(text):
            expansion = self._norms.get(word)
            if expansion is not None:
                words.extend(expansion)
            else:
                words.append(self.fuzzy(word))
        return words

    def _fuzzy(self, word: str) -> str:
        if len(word) < 5 or word in self._fuzzy_words or word in self._fuzzy_exclude:
            return word
        if not word.isalpha():
            return word
        candidates = [self._fuzzy_index.get(word)]
        candidates += [self._fuzzy_index.get(word[:i] + word[i + 1 :]) for i in range(len(word))]
        for candidate in candidates:
            if candidate is not None and _one_edit_apart(word, candidate):
                return candidate
        return word


class _LexiconTokens:
    """Build-time memo of lexicon strings -> canonical tokens: macros repeat the same words
    hundreds of times. Messages never go through it (no message text is kept in memory)."""

    def __init__(self, normalizer: _Normalizer) -> None:
        self._normalizer = normalizer
        self._memo: dict[str, list[str]] = {}

    def tokens(self, text: str) -> list[str]:
        if text not in self._memo:
            self._memo[text] = self._normalizer.tokens(text)
        return self._memo[text]

    def surface(self, text: str) -> list[str]:
        return self._normalizer.surface(text)


@dataclass(frozen=True)
class _Slot:
    alternatives: tuple[tuple[str, ...], ...] = ()
    optional: bool = False
    wildcard: int = 0
    regex: str | None = None
    number: bool = False
    exclude: bool = False


class _PatternCompiler:
    """Compiles the lexicon's small pattern language into spaCy `Matcher` token patterns.

    A pattern is a line of slots separated by spaces; each slot is one of
        word            that word
        a|b|c           any of these; `[going to]|will` when an alternative has several words
        slot?           optional
        *N              up to N words of anything
        word*|other*    a word starting with one of these (spelling-normalised only)
        *ar|*er         a word ending with one of these
        #               a number
        !a|b            one word that is none of these
        $NAME           the slot defined under `macros:`
    Every word goes through the message normaliser, so `gonna`, `going to` and `finna` are the
    same alternative. Alternatives of the same number of words are matched word by word
    (`[going to]|[about to]` is `going|about` then `to`): cheap, and the odd extra combination
    it allows is harmless in practice; alternatives of different lengths become separate token
    patterns.
    """

    def __init__(self, lexicon: _LexiconTokens, macros: dict[str, str]) -> None:
        self._lexicon = lexicon
        self._macros = macros

    def compile(self, pattern: str) -> list[list[Spec]]:
        slots = [self._slot(raw, pattern) for raw in _SLOT_RE.findall(self._expand(pattern))]
        if not any(not s.optional and not s.wildcard for s in slots):
            raise LexiconError(f"pattern {pattern!r} has no required word")
        choices = [self._choices(slot) for slot in slots]
        total = 1
        for options in choices:
            total *= len(options)
        if total > _MAX_EXPANSION:
            raise LexiconError(f"pattern {pattern!r} expands to {total} token patterns; split it")
        compiled = []
        for combination in itertools.product(*choices):
            specs = [spec for part in combination for spec in part]
            # Leading and trailing optional slots and gaps change a span's extent, never
            # whether there is a match: drop them (fewer partial matches to track).
            while specs and "OP" in specs[0]:
                specs.pop(0)
            while specs and "OP" in specs[-1]:
                specs.pop()
            if specs and specs not in compiled:
                compiled.append(specs)
        return compiled

    def _expand(self, pattern: str) -> str:
        def macro(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self._macros:
                raise LexiconError(f"unknown macro ${name} in {pattern!r}")
            return self._macros[name]

        return _MACRO_RE.sub(macro, pattern)

    def _slot(self, raw: str, pattern: str) -> _Slot:
        optional = raw.endswith("?") and len(raw) > 1
        body = raw[:-1] if optional else raw
        wildcard = _WILDCARD_RE.fullmatch(body)
        if wildcard:
            return _Slot(wildcard=int(wildcard.group(1)))
        exclude = body.startswith("!")
        if exclude:
            body = body[1:]
        if body == "#":
            return _Slot(optional=optional, number=True)
        parts = [
            part
            for m in _ALTERNATIVE_RE.finditer(body)
            for part in (m.group(1).split("|") if m.group(1) is not None else [m.group(2)])
        ]
        if any(p.endswith("*") or p.startswith("*") for p in parts):
            return _Slot(optional=optional, regex=self._affix_regex(parts, pattern))
        alternatives = []
        for alternative in parts:
            tokens = (
                [alternative] if alternative in (START, END) else self._lexicon.tokens(alternative)
            )
            if not tokens:
                raise LexiconError(f"empty alternative in {pattern!r}")
            if exclude and len(tokens) != 1:
                raise LexiconError(f"!{alternative} must be one word in {pattern!r}")
            alternatives.append(tuple(tokens))
        return _Slot(tuple(dict.fromkeys(alternatives)), optional=optional, exclude=exclude)

    def _affix_regex(self, parts: list[str], pattern: str) -> str:
        """`word*` alternatives become one start-anchored regex, `*ending` ones an end-anchored
        one. An affix is not a word, so it gets spelling normalisation only."""
        prefixes = [p[:-1] for p in parts if p.endswith("*") and not p.startswith("*")]
        suffixes = [p[1:] for p in parts if p.startswith("*") and not p.endswith("*")]
        if len(prefixes) + len(suffixes) != len(parts) or (prefixes and suffixes):
            raise LexiconError(f"mix of affixes and words in one slot of {pattern!r}")
        affixes = []
        for affix in prefixes or suffixes:
            tokens = self._lexicon.surface(affix)
            if len(tokens) != 1:
                raise LexiconError(f"affix {affix!r} must be one word in {pattern!r}")
            affixes.append(re.escape(tokens[0]))
        alternation = "|".join(affixes)
        return f"^(?:{alternation})" if prefixes else f"(?:{alternation})$"

    @staticmethod
    def _choices(slot: _Slot) -> list[list[Spec]]:
        if slot.wildcard >= _WIDE_GAP:
            return [[{"OP": "*", "_width": slot.wildcard}]]
        if slot.wildcard:
            return [[{"OP": f"{{0,{slot.wildcard}}}"}]]
        if slot.regex is not None or slot.number:
            spec: Spec = {"LIKE_NUM": True} if slot.number else {"ORTH": {"REGEX": slot.regex}}
            return [[{**spec, "OP": "?"} if slot.optional else spec]]
        if slot.exclude:
            return [[{"ORTH": {"NOT_IN": [a[0] for a in slot.alternatives]}}]]
        by_length: dict[int, list[tuple[str, ...]]] = {}
        for alternative in slot.alternatives:
            by_length.setdefault(len(alternative), []).append(alternative)
        choices: list[list[Spec]] = [
            [{"ORTH": {"IN": sorted({a[i] for a in group})}} for i in range(length)]
            for length, group in sorted(by_length.items())
        ]
        if slot.optional:
            if len(choices) == 1 and len(choices[0]) == 1:
                return [[{**choices[0][0], "OP": "?"}]]
            choices.append([])
        return choices


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


class CrisisDetector:
    """Deterministic crisis detection over the lexicon; build once, then `detect` per message."""

    def __init__(self, lexicon_path: Path = LEXICON_PATH) -> None:
        text = Path(lexicon_path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a SafeLoader (C or Python)
        if not isinstance(data, dict) or "categories" not in data:
            raise LexiconError(f"{lexicon_path} has no categories")
        self._nlp = spacy.blank("xx")
        self._normalizer = _Normalizer(data, self._nlp.tokenizer)
        lexicon = _LexiconTokens(self._normalizer)
        self._phrases = PhraseMatcher(self._nlp.vocab, attr="ORTH")
        self._labels: dict[int, tuple[str, str, str]] = {}
        self._rules: list[_Rule] = []
        compiler = _PatternCompiler(
            lexicon, {k: str(v) for k, v in (data.get("macros") or {}).items()}
        )
        for category, languages in data["categories"].items():
            if category not in PRIORITY:
                raise LexiconError(f"unknown category {category!r}")
            for language, entries in (languages or {}).items():
                self._add(lexicon, compiler, category, language, entries or {})
        for language, entries in (data.get("hard_negatives") or {}).items():
            self._add(lexicon, compiler, _NEGATIVE, language, entries or {})
        self._index_rules(data, lexicon)
        hints = data.get("language_hints") or {}
        self._hints = {
            language: frozenset(t for w in hints.get(language, []) for t in lexicon.tokens(str(w)))
            for language in LANGUAGES
        }

    # -- building ----------------------------------------------------------------------------

    def _add(
        self,
        lexicon: _LexiconTokens,
        compiler: _PatternCompiler,
        category: str,
        language: str,
        entries: dict[str, Any],
    ) -> None:
        if language not in LANGUAGES:
            raise LexiconError(f"unknown language {language!r} under {category}")
        for phrase in entries.get("phrases") or []:
            words = lexicon.tokens(str(phrase))
            if not words:
                raise LexiconError(f"empty phrase under {category}/{language}")
            key = self._label(category, language, f"phrase: {phrase}")
            self._phrases.add(key, [Doc(self._nlp.vocab, words=words)])
        for pattern in entries.get("patterns") or []:
            key = self._label(category, language, f"pattern: {pattern}")
            variants = compiler.compile(str(pattern))
            wide = any(spec.get("OP") == "*" for v in variants for spec in v)
            width = max(_width(v) for v in variants)
            max_width = width if wide else 0
            matcher = Matcher(self._nlp.vocab, validate=True)
            matcher.add(key, [[_spacy_spec(spec) for spec in v] for v in variants])
            requirements = tuple(_requirements(v) for v in variants)
            self._rules.append(
                _Rule(self._nlp.vocab.strings[key], matcher, requirements, max_width, width)
            )

    def _label(self, category: str, language: str, rule: str) -> str:
        key = f"{category}|{language}|{rule}"
        self._labels[self._nlp.vocab.strings.add(key)] = (category, language, rule)
        return key

    def _index_rules(self, data: dict[str, Any], lexicon: _LexiconTokens) -> None:
        """Index each token-pattern variant under its rarest required word set.

        "Rarest" is judged cheaply: everyday words (the language hints, which are function words)
        cost more than content words, and a set costs the sum of its words. A variant with no
        required word (only affixes, say) is always run.
        """
        common = {
            t
            for words in (data.get("language_hints") or {}).values()
            for w in words
            for t in lexicon.tokens(str(w))
        } | {START, END}

        def cost(words: frozenset[str]) -> int:
            return sum(25 if w in common or len(w) <= 3 else 1 for w in words)

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

    # -- detection ---------------------------------------------------------------------------

    def canonical(self, text: str) -> list[str]:
        """The tokens a message is matched on (for reviewers and tests)."""
        return self._normalizer.tokens(text)

    def size(self) -> dict[str, int]:
        """How big the compiled lexicon is (for the benchmark and the docs)."""
        return {"token_pattern_rules": len(self._rules), "phrases": len(self._phrases)}

    def rules_run(self, text: str) -> int:
        """How many token-pattern rules a message makes run (the rest are skipped)."""
        return len(self._candidates(self._normalizer.tokens(text)))

    def hits(self, text: str) -> list[RuleHit]:
        """Every rule that fired, crisis and negative, with whether it was suppressed."""
        return self._scan(self._normalizer.tokens(text))

    def _candidates(self, words: list[str]) -> dict[_Rule, set[str] | None]:
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

    def _scan(self, words: list[str]) -> list[RuleHit]:
        if not words:
            return []
        tokens = [START, *words, END]
        doc = Doc(self._nlp.vocab, words=tokens)
        found = list(self._phrases(doc))
        positions: dict[str, list[int]] = {}
        for i, token in enumerate(tokens):
            positions.setdefault(token, []).append(i)
        for rule, anchors in self._candidates(words).items():
            for start, end in self._windows(anchors, positions, rule.width, len(tokens)):
                matches = rule.matcher(doc[start:end]) if end - start < len(tokens) else None
                if matches is None:
                    matches = rule.matcher(doc)
                elif start:
                    matches = [(key, s + start, e + start) for key, s, e in matches]
                if rule.max_width:
                    matches = [m for m in matches if m[2] - m[1] <= rule.max_width]
                found.extend(matches)
        if not found:
            return []
        negatives = [(s, e) for key, s, e in found if self._labels[key][0] == _NEGATIVE]
        hits = []
        for key, start, end in sorted(found, key=lambda m: (m[1], m[2])):
            category, language, rule_name = self._labels[key]
            suppressed = category != _NEGATIVE and any(
                start < n_end and n_start < end for n_start, n_end in negatives
            )
            hits.append(RuleHit(category, language, rule_name, start, end, suppressed))
        return hits

    def detect(self, text: str) -> CrisisSignal | None:
        """The crisis this message signals, if any: any text in, a signal or None out."""
        words = self._normalizer.tokens(text)
        first_language: dict[str, str] = {}
        votes = dict.fromkeys(LANGUAGES, 0)
        for hit in self._scan(words):
            if hit.category == _NEGATIVE or hit.suppressed:
                continue
            first_language.setdefault(hit.category, hit.language)
            votes[hit.language] += 2
        if not first_language:
            return None
        ordered = tuple(c for c in PRIORITY if c in first_language)
        return CrisisSignal(
            category=ordered[0],
            categories=ordered,
            language=self._language(words, votes, first_language[ordered[0]]),
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


@lru_cache(maxsize=1)
def default_detector() -> CrisisDetector:
    """Built once per process: construction compiles the whole lexicon."""
    return CrisisDetector()
