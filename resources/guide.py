"""Guide content (resources/data/guide.yml), typed and checked.

The action server (Python 3.10) and the wording tests (Python 3.11) both read it through the
same code, so what the tests lint is exactly what the assistant sends. Stdlib dataclasses only;
the words live in the YAML. Composing an answer from it is resources/guide_answers.py.

Who is writing decides which text an entry gives: a youth, a parent or caregiver, a teacher or
other professional, or a young person worried about a friend. An entry need not have a text for
every reader: each reader has an order of texts to fall back on (`FALLBACK`), and the wording
tests lint the text each reader really gets at that reader's reading level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
KINDS = ("answer", "parts", "ideas")
READERS = ("youth", "caregiver", "professional", "friend")
# `both` = written for any reader (texts per reader, with fallbacks).
AUDIENCES = (*READERS, "both")
CHANNELS = ("sms", "web")
LANGUAGES = ("en", "es")
# Which text a reader gets when the entry has none written for them: the closest voice first.
FALLBACK: Mapping[str, tuple[str, ...]] = {
    "youth": ("youth", "friend", "caregiver", "professional"),
    "friend": ("friend", "youth", "caregiver", "professional"),
    "caregiver": ("caregiver", "professional", "youth", "friend"),
    "professional": ("professional", "caregiver", "youth", "friend"),
}
ANY_READER = "*"  # a part text that is the same for every reader
NEXT = "/ask_more"  # the payload of "Another idea" / "Another tip"
_SOURCE = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt:L\d+(-\d+)?|project: .+|official: .+)$")


class GuideError(ValueError):
    """guide.yml or answer_formats.yml does not match the schema."""


@dataclass(frozen=True)
class Texts:
    """One text in its channel and language variants: web falls back to SMS, es to en."""

    variants: Mapping[str, Mapping[str, str]]

    def template(self, channel: str, language: str) -> str:
        return self.variants_for(channel).get(language) or self.variants_for(channel)["en"]

    def variants_for(self, channel: str) -> Mapping[str, str]:
        return self.variants.get(channel) or self.variants["sms"]

    def has(self, channel: str, language: str) -> bool:
        return language in self.variants_for(channel)


def written_in(language: str, channel: str, *texts: Texts) -> str:
    """The language an answer made of ``texts`` is really written in: Spanish only when every
    piece has a Spanish variant (else they fell back to English), so buttons can match it."""
    if language == "en" or not all(t.has(channel, language) for t in texts):
        return "en"
    return language


def pick_reader(by_reader: Mapping[str, Any], wanted: str) -> str | None:
    """The key of `by_reader` that `wanted` gets: their own, else the first fallback present."""
    for reader in FALLBACK.get(wanted, (wanted,)):
        if reader in by_reader:
            return reader
    return ANY_READER if ANY_READER in by_reader else None


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Part:
    """A piece of an entry: a group of warning signs, a situation, one idea, or a way into an
    idea list (``ideas`` names that list). ``texts`` is keyed by reader (``*`` for everyone)."""

    id: str
    texts: Mapping[str, Texts]
    title: str | None = None
    cues: tuple[str, ...] = ()
    ideas: str | None = None
    choices: tuple[str, ...] | None = None
    sources: tuple[str, ...] = ()
    explain: Texts | None = None

    @property
    def text(self) -> Texts | None:
        """The text for everyone (or the first one written): idea lists have one per idea."""
        if not self.texts:
            return None
        return self.texts.get(ANY_READER) or next(iter(self.texts.values()))

    def text_for(self, reader: str) -> Texts | None:
        key = pick_reader(self.texts, reader)
        return self.texts[key] if key is not None else None


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    audience: str
    sources: tuple[str, ...]
    last_verified: date
    intro: Mapping[str, Texts]  # reader -> the answer (kind answer) or the intro
    parts: tuple[Part, ...] = ()
    choices: tuple[str, ...] = ()
    intent: str | None = None
    ask_who: bool = False
    default_reader: str | None = None
    default_part: str | None = None
    end: Texts | None = None
    explain: Mapping[str, Texts] | None = None  # reader -> the same answer in plainer words
    # reader -> the entry (or entry.part) that is the next step for that reader, offered after
    # an answer given before we knew who is writing ("answer first, then tailor").
    next: Mapping[str, str] | None = None

    def reader(self, asking: str | None) -> str:
        """Whose text the answer uses: who is asking (a reader name) when known, else the
        entry's default reader; then the closest text written (FALLBACK)."""
        wanted = asking if asking in READERS else self.likely_reader()
        return pick_reader(self.intro, str(wanted)) or str(wanted)

    def likely_reader(self) -> str:
        """Who most likely asks this when nobody has said: the entry's audience or default."""
        if self.audience in READERS:
            return self.audience
        return self.default_reader or "youth"

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(f"{self.id}: no part {part_id!r}")

    def has_part(self, part_id: str) -> bool:
        return any(p.id == part_id for p in self.parts)


@dataclass(frozen=True, eq=False)
class Guide:
    entries: Mapping[str, Entry]
    choices: Mapping[str, Button]
    menus: Mapping[str, tuple[str, ...]]

    def entry(self, entry_id: str) -> Entry:
        try:
            return self.entries[entry_id]
        except KeyError as exc:
            raise GuideError(f"no guide entry {entry_id!r}") from exc

    def for_intent(self, intent: str | None) -> Entry | None:
        return next((e for e in self.entries.values() if intent and e.intent == intent), None)

    def menu(self, name: str) -> tuple[Button, ...]:
        return tuple(self.choices[c] for c in self.menus[name])


# -- loading ---------------------------------------------------------------------------------


def _texts(where: str, raw: Any) -> Texts:
    if not isinstance(raw, dict) or "sms" not in raw:
        raise GuideError(f"{where}: a text needs an `sms` variant")
    variants: dict[str, dict[str, str]] = {}
    for channel, by_language in raw.items():
        if channel not in CHANNELS or not isinstance(by_language, dict) or "en" not in by_language:
            raise GuideError(f"{where}: `{channel}` must be sms/web with an `en` text")
        if set(by_language) - set(LANGUAGES):
            raise GuideError(f"{where}: languages are {LANGUAGES}")
        variants[channel] = {lang: str(text) for lang, text in by_language.items()}
    return Texts(variants)


def _by_reader(where: str, raw: Any) -> dict[str, Texts]:
    """`{sms: ...}` (one text for every reader) or `{youth: {sms: ...}, caregiver: ...}`."""
    if not isinstance(raw, dict):
        raise GuideError(f"{where}: a text is a mapping")
    if "sms" in raw:
        return {ANY_READER: _texts(where, raw)}
    if set(raw) - set(READERS):
        raise GuideError(f"{where}: text readers are {READERS}")
    return {r: _texts(f"{where}.{r}", t) for r, t in raw.items()}


def _sources(where: str, raw: Any, required: bool = True) -> tuple[str, ...]:
    items = tuple(str(s) for s in (raw or []))
    if required and not items:
        raise GuideError(f"{where}: every entry names its source")
    bad = [s for s in items if not _SOURCE.match(s)]
    if bad:
        raise GuideError(f"{where}: source must be 'NNN_<hash>.txt:Lx-y' or 'project: ...': {bad}")
    return items


def _part(where: str, raw: dict[str, Any]) -> Part:
    pid = str(raw["id"])
    texts = _by_reader(f"{where}.{pid}", raw["text"]) if "text" in raw else {}
    if not texts and not raw.get("ideas"):
        raise GuideError(f"{where}.{pid}: a part has a text or starts an idea list")
    choices = raw.get("choices")
    return Part(
        id=pid,
        texts=texts,
        title=raw.get("title"),
        cues=tuple(str(c).lower() for c in raw.get("cues", [])),
        ideas=raw.get("ideas"),
        choices=tuple(choices) if choices is not None else None,
        sources=_sources(f"{where}.{pid}", raw.get("source"), required=False),
        explain=_texts(f"{where}.{pid}.explain", raw["explain"]) if "explain" in raw else None,
    )


def _entry(eid: str, raw: dict[str, Any]) -> Entry:
    kind, audience = raw.get("kind"), raw.get("audience")
    if kind not in KINDS or audience not in AUDIENCES:
        raise GuideError(f"{eid}: kind must be one of {KINDS}, audience one of {AUDIENCES}")
    verified = raw.get("last_verified")
    if not isinstance(verified, date):
        raise GuideError(f"{eid}: last_verified must be a date (YYYY-MM-DD)")
    intro = {r: _texts(f"{eid}.text.{r}", t) for r, t in (raw.get("text") or {}).items()}
    if set(intro) - set(READERS):
        raise GuideError(f"{eid}: text readers are {READERS}")
    explain = raw.get("explain")
    if explain is not None and not (isinstance(explain, dict) and set(explain) <= set(READERS)):
        raise GuideError(f"{eid}: explain is keyed by reader {READERS}")
    parts = tuple(_part(eid, p) for p in raw.get("parts", []) + raw.get("ideas", []))
    return Entry(
        id=eid,
        kind=str(kind),
        audience=str(audience),
        sources=_sources(eid, raw.get("source")),
        last_verified=verified,
        intro=intro,
        parts=parts,
        choices=tuple(raw.get("choices", [])),
        intent=raw.get("intent"),
        ask_who=bool(raw.get("ask_who", False)),
        default_reader=raw.get("default_reader"),
        default_part=raw.get("default_part"),
        end=_texts(f"{eid}.end", raw["end"]) if "end" in raw else None,
        explain={r: _texts(f"{eid}.explain.{r}", t) for r, t in explain.items()}
        if explain
        else None,
        next={str(k): str(v) for k, v in raw["next"].items()} if raw.get("next") else None,
    )


def _check(guide: Guide) -> None:
    """Cross-references: every button, idea list, next step and reader an answer needs."""
    for entry in guide.entries.values():
        part_ids = {p.id for p in entry.parts}
        for choice in entry.choices + tuple(c for p in entry.parts for c in p.choices or ()):
            if choice not in guide.choices and choice not in part_ids:
                raise GuideError(f"{entry.id}: unknown choice {choice!r}")
        for part in entry.parts:
            if part.ideas and guide.entry(part.ideas).kind != "ideas":
                raise GuideError(f"{entry.id}.{part.id}: {part.ideas!r} is not an idea list")
        if entry.default_reader is not None and entry.default_reader not in READERS:
            raise GuideError(f"{entry.id}: default_reader must be one of {READERS}")
        if not entry.intro and not (entry.kind == "parts" and entry.default_part):
            raise GuideError(f"{entry.id}: no text for any reader")
        for reader, target in (entry.next or {}).items():
            if reader not in READERS:
                raise GuideError(f"{entry.id}: next is keyed by reader {READERS}")
            target_entry, _, target_part = target.partition(".")
            found = guide.entry(target_entry)
            if target_part and not found.has_part(target_part):
                raise GuideError(f"{entry.id}: next {target!r}: no such part")
        if entry.kind == "ideas" and (entry.end is None or not entry.parts):
            raise GuideError(f"{entry.id}: an idea list needs ideas and an `end` text")


@lru_cache(maxsize=1)
def load_guide() -> Guide:
    raw = yaml.safe_load((DATA_DIR / "guide.yml").read_text(encoding="utf-8"))
    formats = yaml.safe_load((DATA_DIR / "answer_formats.yml").read_text(encoding="utf-8"))
    choices = {k: Button(str(v["title"]), str(v["payload"])) for k, v in formats["choices"].items()}
    menus = {k: tuple(v) for k, v in formats["menus"].items()}
    guide = Guide({k: _entry(k, v) for k, v in raw["entries"].items()}, choices, menus)
    _check(guide)
    return guide


@lru_cache(maxsize=1)
def handoff_summary_words() -> dict[str, dict[str, str]]:
    """answer_formats.yml `handoff_summary`: intent -> topic asked, action -> what was given,
    in the advocate console's words."""
    formats = yaml.safe_load((DATA_DIR / "answer_formats.yml").read_text(encoding="utf-8"))
    raw = formats["handoff_summary"]
    return {"asked": dict(raw["asked"]), "gave": dict(raw["gave"])}
