"""The wording checker: every text the assistant can send is linted against the seeds' rules
for talking with youth and caregivers (resources/data/wording_rules.yml, SEED_MAP §6.7).

A problem names the text and the rule, so a failing test says exactly what to rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from resources.spelling import GSM7_CHARS, for_sms

RULES_PATH = Path(__file__).parent / "data" / "wording_rules.yml"


@dataclass(frozen=True)
class Problem:
    text_id: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.text_id}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class _Rule:
    id: str
    why: str
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _config() -> tuple[dict[str, Any], tuple[_Rule, ...]]:
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    rules = tuple(
        _Rule(
            id=r["id"],
            why=r["why"],
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in r["patterns"]),
            exceptions=tuple(re.compile(p, re.IGNORECASE) for p in r.get("except", [])),
        )
        for r in data["rules"]
    )
    return data, rules


@lru_cache(maxsize=1)
def _service_names() -> tuple[str, ...]:
    """Names of hotlines and places: fixed proper names, not prose a reader has to parse."""
    from resources.catalog import load_catalog

    catalog = load_catalog()
    names = {h.name for h in catalog.hotlines} | {h.short_name for h in catalog.hotlines}
    names |= {p.name for p in catalog.places} | {p.short_name for p in catalog.places}
    return tuple(sorted(names, key=len, reverse=True))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of the words only: numbers, codes and links are not prose.

    Words and sentences are counted by textstat; syllables by Pyphen's hyphenation dictionary
    (shipped in the package). textstat's own syllable counter would download NLTK's CMU
    dictionary at run time, which this project never does.
    """
    import textstat  # only the gateway/test environment has these two
    from pyphen import Pyphen

    for name in _service_names():
        text = text.replace(name, " ")
    prose = re.sub(r"https?://\S+|\S*\d\S*|\b[A-Z]{2,}\b", " ", text)
    prose = re.sub(r"\s+", " ", prose).strip()
    words = re.findall(r"[A-Za-z']+", prose)
    if len(words) < 8:
        return 0.0
    hyphenator = Pyphen(lang="en_US")
    syllables = sum(len(hyphenator.positions(w.lower())) + 1 for w in words)
    sentences = max(1, int(textstat.sentence_count(prose)))
    return 0.39 * (len(words) / sentences) + 11.8 * (syllables / len(words)) - 15.59


def check_text(
    text_id: str,
    text: str,
    *,
    audience: str = "youth",
    channel: str = "sms",
    language: str = "en",
) -> list[Problem]:
    """All problems of one text; an empty list means it may be sent."""
    data, rules = _config()
    problems: list[Problem] = []
    for rule in rules:
        for pattern in rule.patterns:
            for match in pattern.finditer(text):
                excused = any(
                    exc.search(text, max(0, match.start() - 40), match.end() + 40)
                    and _covers(exc, text, match)
                    for exc in rule.exceptions
                )
                if not excused:
                    problems.append(Problem(text_id, rule.id, f"{match.group(0)!r}: {rule.why}"))
                    break
    if language == "en":
        limit = data["reading_grade"].get(audience, data["reading_grade"]["youth"])
        grade = reading_grade(text)
        if grade > limit:
            problems.append(
                Problem(text_id, "reading_grade", f"grade {grade:.1f} > {limit} ({audience})")
            )
    if channel == "sms":
        if len(text) > data["sms"]["max_chars"]:
            problems.append(
                Problem(
                    text_id, "sms_length", f"{len(text)} > {data['sms']['max_chars']} characters"
                )
            )
        # Checked as the SMS is spelled: Spanish written with accents loses á í ó ú there.
        bad = sorted({ch for ch in for_sms(text) if ch not in GSM7_CHARS})
        if data["sms"]["gsm7"] and bad:
            problems.append(Problem(text_id, "sms_charset", f"not GSM-7: {''.join(bad)!r}"))
    return problems


def _covers(exception: re.Pattern[str], text: str, match: re.Match[str]) -> bool:
    """True when an exception pattern's match overlaps the rule's match."""
    return any(
        m.start() <= match.start() < m.end() or match.start() <= m.start() < match.end()
        for m in exception.finditer(text)
    )
