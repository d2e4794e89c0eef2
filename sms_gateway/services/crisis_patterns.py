"""The crisis lexicon's small pattern language, compiled into spaCy `Matcher` token patterns
(docs/safety_net.md, "Adding a phrase"; the language is documented at the top of
resources/data/crisis_lexicon.yml). Compiling is the lexicon's business only: messages never go
through here (crisis_rules.py runs the compiled patterns).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sms_gateway.services.crisis_text import LexiconError

# Markers put around every message so that a pattern can say "at the start" ("<s> call 911").
START, END = "<s>", "</s>"
# A single pattern may expand (alternatives of different lengths) into at most this many token
# patterns: more means the pattern should be split, and the build fails loudly.
_MAX_EXPANSION = 64
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
class _Slot:
    alternatives: tuple[tuple[str, ...], ...] = ()
    optional: bool = False
    wildcard: int = 0
    regex: str | None = None
    number: bool = False
    exclude: bool = False


class PatternCompiler:
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

    def __init__(
        self,
        tokens: Callable[[str], list[str]],
        surface: Callable[[str], list[str]],
        macros: dict[str, str],
    ) -> None:
        self._tokens = tokens
        self._surface = surface
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
            tokens = [alternative] if alternative in (START, END) else self._tokens(alternative)
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
            tokens = self._surface(affix)
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
