"""Do the seed lines an entry cites say what the entry says?

A citation (``001_304a7ff96cf0bf3f.txt:L3421``) is how a reviewer checks a fact, so one that
points a few lines off sends them to the wrong sentence: "pack a bag" cited at the line about
documents. For every hotline, place and guide entry or part, each cited range must lie inside
its seed file and contain at least one *distinctive key word* of the entry: every word of its
name, the digits of one of its numbers, or a content word of its text (in a range longer than
three lines, one that is long or rare in that seed; generic words such as "keep" or "need"
never count). Words are compared by a crude stem
(one suffix off, first six letters), so "documents" matches "document" and "times" "timing".
It is a lexical test: a loose paraphrase of the right line can fail it, and the fix is then to
cite the line that says it, or to use one of its words.

The seeds are not part of the repository: when they are not beside it the check is skipped
(``python -m resources check`` says so once).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from resources import models as m

SEED_REF = re.compile(r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt):L(?P<first>\d+)(?:-(?P<last>\d+))?$")
LONG_WORD = 8  # letters: a word this long is distinctive however often the seed uses it
RARE_SHARE = 0.004  # a shorter word is distinctive if at most this share of seed lines has it
MIN_WORD = 3
SHORT_RANGE = 3  # lines: a citation this short is judged by any shared content word
# Words that say nothing about which sentence a citation points at.
STOPWORDS = frozenset(
    re.findall(
        r"[a-z]+",
        """
    about above after again against all also always and any anyone anything are around ask
    asked away back be because been before being both but by call called calls can cannot
    come could did does doing done down each even ever every for from get gets getting give
    given gives go goes going gone good got had has have having help her here hers him his
    how however into its just keep know knows let like made make makes many may maybe might
    more most much must need needs never new next not now off once one only onto other
    others our out over own please really right said same say says see seem she should show
    some someone something sometimes still such sure take talk tell than that the their them
    then there these they thing things think this those through too try two under until upon
    use used very want wants was way ways well were what when where whether which while who
    whom whose why will with without would yes yet you your yours
    """,
    )
)
_SUFFIXES = ("ingly", "edly", "ing", "ed", "es", "s", "ly", "e")
_WORD = re.compile(r"[a-z]+")
_DIGIT_RUN = re.compile(r"\d[\d\-. ()]*\d|\d")


def stem(word: str) -> str:
    """A crude stem: one common suffix off, then the first six letters ("timing" and "times"
    -> "tim", "documents" -> "docume"). Good enough to compare a paraphrase with its source."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if (
            word.endswith(suffix)
            and len(word) - len(suffix) >= MIN_WORD
            and not word.endswith("ss")
        ):
            word = word[: -len(suffix)]
            break
    return word[:6]


def _stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if len(w) >= MIN_WORD}


@dataclass(frozen=True)
class Seed:
    """One seed file: its lines, and how many lines use each stem (to judge rarity)."""

    lines: tuple[str, ...]
    line_counts: Counter[str]

    def cited(self, first: int, last: int) -> str:
        return " ".join(self.lines[first - 1 : last])

    def distinctive(self, word: str, cited_lines: int = SHORT_RANGE + 1) -> bool:
        """A content word; in a long range also long, or rare in this seed."""
        if word.lower() in STOPWORDS or len(word) < MIN_WORD:
            return False
        if cited_lines <= SHORT_RANGE:
            return True  # a bullet or two: sharing any content word is already specific
        share = self.line_counts[stem(word)] / max(1, len(self.lines))
        return len(word) >= LONG_WORD or share <= RARE_SHARE


@lru_cache(maxsize=8)
def load_seed(path: Path) -> Seed:
    lines = tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(_stems(line))
    return Seed(lines, counts)


@dataclass(frozen=True)
class Cited:
    """One thing that cites seeds: where it is, what it cites, and the words that are its own."""

    file: str
    entry: str
    refs: tuple[str, ...]
    words: str  # texts whose long or rare words may prove a citation
    numbers: tuple[str, ...] = ()  # phone numbers / codes whose digits may prove it
    names: tuple[str, ...] = ()  # names that prove it when every word of one is there


def _digits(number: str) -> str:
    return re.sub(r"\D", "", phonenumbers.convert_alpha_characters_in_number(number))


def _seed_refs(sources: Iterable[m.Source]) -> tuple[str, ...]:
    return tuple(s.ref for s in sources if s.kind == "seed")


def _channel_words(channel: m.Channel) -> str:
    return " ".join(filter(None, (channel.display, channel.keyword, channel.instructions)))


def catalog_items(catalog: m.Catalog) -> Iterator[Cited]:
    """Every hotline, channel, replaced number, program and place with seed citations."""
    for h in catalog.hotlines:
        ages = h.ages.as_printed if h.ages else None
        own = " ".join(filter(None, (h.name, h.audience, h.hours.as_printed, ages)))
        numbers = tuple(c.value for c in h.channels if c.kind in ("call", "text", "tty"))
        urls = " ".join(c.value for c in h.channels if c.kind in ("web", "chat", "email"))
        channels = " ".join(_channel_words(c) for c in h.channels)
        names = (h.name, h.short_name)
        yield Cited("hotlines.yml", h.id, _seed_refs(h.sources), f"{own} {channels} {urls}",
                    numbers, names)  # fmt: skip
        for c in h.channels:
            if refs := _seed_refs(c.sources):
                words = f"{_channel_words(c)} {c.value}"
                yield Cited("hotlines.yml", f"{h.id} ({c.kind} {c.value})", refs, words,
                            (c.value,), names)  # fmt: skip
        for r in h.replaces:
            yield Cited("hotlines.yml", f"{h.id} (replaces {r.number})", _seed_refs(r.sources),
                        "", (r.number,), (r.name,))  # fmt: skip
        for prog in h.programs:
            yield Cited("hotlines.yml", f"{h.id} ({prog.id})", _seed_refs(prog.sources),
                        prog.summary, names=(prog.name,))  # fmt: skip
    for p in catalog.places:
        parts = [p.how_to_get_there, p.hours.as_printed, p.website]
        if p.address:
            parts += [p.address.street, p.address.city]
        if p.ages:
            parts.append(p.ages.as_printed)
        words = " ".join(filter(None, parts)) + " " + " ".join(p.services).replace("_", " ")
        yield Cited("places.yml", p.id, _seed_refs(p.sources), words,
                    tuple(filter(None, (p.phone,))), (p.name, p.short_name))  # fmt: skip


def _english(node: Any) -> Iterator[str]:
    """The English templates under a guide text node ({reader: {channel: {en: ...}}})."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "en" and isinstance(value, str):
                yield value
            elif key != "es":
                yield from _english(value)


def guide_items(guide_path: Path) -> Iterator[Cited]:
    """Every guide entry and part with seed citations (read from the YAML, so a copy of the
    data can be checked without the guide module's cache)."""
    doc = yaml.safe_load(guide_path.read_text(encoding="utf-8")) or {}
    for entry_id, raw in (doc.get("entries") or {}).items():
        parts = list(raw.get("parts") or []) + list(raw.get("ideas") or [])
        part_texts = {str(p.get("id")): " ".join(_english(p)) for p in parts}
        entry_text = " ".join(
            [*_english(raw.get("text")), *_english(raw.get("explain")), *_english(raw.get("end"))]
        )
        refs = tuple(s for s in map(str, raw.get("source") or []) if SEED_REF.match(s))
        yield Cited("guide.yml", entry_id, refs, entry_text + " " + " ".join(part_texts.values()))
        for p in parts:
            part_refs = tuple(s for s in map(str, p.get("source") or []) if SEED_REF.match(s))
            if part_refs:
                pid = str(p.get("id"))
                yield Cited("guide.yml", f"{entry_id}.{pid}", part_refs, part_texts[pid])


def _number_found(numbers: tuple[str, ...], text: str) -> bool:
    runs = [re.sub(r"\D", "", r) for r in _DIGIT_RUN.findall(text)]
    for number in numbers:
        digits = _digits(number)
        if len(digits) >= 3 and any(digits in r or (len(r) >= 7 and r in digits) for r in runs):
            return True
    return False


def evidence(item: Cited, seed: Seed, first: int, last: int) -> list[str]:
    """The entry's distinctive words (or numbers) that the cited lines contain."""
    cited = seed.cited(first, last)
    found = [n for n in item.numbers if _number_found((n,), cited)]
    cited_stems = _stems(cited)
    for name in item.names:
        own = {stem(w) for w in _WORD.findall(name.lower()) if w not in STOPWORDS}
        if own and own <= cited_stems:
            found.append(name)
    for word in dict.fromkeys(_WORD.findall(item.words.lower())):
        if seed.distinctive(word, last - first + 1) and stem(word) in cited_stems:
            found.append(word)
    return found


def citation_problems(items: Iterable[Cited], seeds_dir: Path) -> list[tuple[str, str, str]]:
    """(file, entry, reason) for each citation outside its seed or without a key word."""
    out = []
    for item in items:
        for ref in item.refs:
            found = SEED_REF.match(ref)
            path = seeds_dir / found["file"] if found else None
            if not found or path is None or not path.is_file():
                out.append((item.file, item.entry, f"seed source {ref!r}: no such seed file"))
                continue
            seed = load_seed(path)
            first, last = int(found["first"]), int(found["last"] or found["first"])
            if not 1 <= first <= last <= len(seed.lines):
                reason = f"seed source {ref!r}: lines outside 1-{len(seed.lines)}"
                out.append((item.file, item.entry, reason))
            elif not evidence(item, seed, first, last):
                reason = f"seed source {ref!r}: none of the entry's key words is in those lines"
                out.append((item.file, item.entry, reason))
    return out
