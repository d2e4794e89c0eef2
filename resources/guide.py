"""Guide content (resources/data/guide.yml), typed, and the answers composed from it.

The action server (Python 3.10) and the wording tests (Python 3.11) both call the same
functions here, so what the tests lint is exactly what the assistant sends. Stdlib dataclasses
only; the words live in the YAML, this module decides which part to give and which buttons follow.
Safety ideas are given one at a time (`next_idea`), never as a list (SEED_MAP §5.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from resources.replies import render_template

DATA_DIR = Path(__file__).parent / "data"
KINDS = ("answer", "parts", "ideas")
AUDIENCES = ("youth", "caregiver", "both")
READERS = ("youth", "caregiver")
CHANNELS = ("sms", "web")
LANGUAGES = ("en", "es")
NEXT = "/ask_more"  # the payload of "Another idea" / "Another tip"
_SOURCE = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt:L\d+(-\d+)?|project: .+)$")


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


def written_in(language: str, channel: str, *texts: Texts) -> str:
    """The language an answer made of ``texts`` is really written in: Spanish only when every
    piece has a Spanish variant (else they fell back to English), so buttons can match it."""
    if language == "en" or not all(language in t.variants_for(channel) for t in texts):
        return "en"
    return language


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Part:
    """A piece of an entry: a group of warning signs, a situation, one idea, or a way into an
    idea list (``ideas`` names that list)."""

    id: str
    text: Texts | None
    title: str | None = None
    cues: tuple[str, ...] = ()
    ideas: str | None = None
    choices: tuple[str, ...] | None = None
    sources: tuple[str, ...] = ()


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

    def reader(self, asking: str | None) -> str:
        """Who the answer is written for: fixed by the entry, else by who is asking (a reader
        name, "youth" or "caregiver"), else the entry's default."""
        if self.audience != "both":
            return self.audience
        if asking in READERS:
            return str(asking)
        return self.default_reader or "youth"

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(f"{self.id}: no part {part_id!r}")


@dataclass(frozen=True)
class Answer:
    """One message: its text, its buttons, and (for idea lists) where the list now stands."""

    text: str
    buttons: tuple[Button, ...] = ()
    idea_list: str | None = None
    idea_index: int | None = None
    language: str = "en"  # what the text is written in; its buttons are titled to match


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
    text = _texts(f"{where}.{pid}", raw["text"]) if "text" in raw else None
    if text is None and not raw.get("ideas"):
        raise GuideError(f"{where}.{pid}: a part has a text or starts an idea list")
    choices = raw.get("choices")
    return Part(
        id=pid,
        text=text,
        title=raw.get("title"),
        cues=tuple(str(c).lower() for c in raw.get("cues", [])),
        ideas=raw.get("ideas"),
        choices=tuple(choices) if choices is not None else None,
        sources=_sources(f"{where}.{pid}", raw.get("source"), required=False),
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
    )


def _check(guide: Guide) -> None:
    """Cross-references: every button, idea list and reader an answer needs exists."""
    for entry in guide.entries.values():
        part_ids = {p.id for p in entry.parts}
        for choice in entry.choices + tuple(c for p in entry.parts for c in p.choices or ()):
            if choice not in guide.choices and choice not in part_ids:
                raise GuideError(f"{entry.id}: unknown choice {choice!r}")
        for part in entry.parts:
            if part.ideas and guide.entry(part.ideas).kind != "ideas":
                raise GuideError(f"{entry.id}.{part.id}: {part.ideas!r} is not an idea list")
        readers = READERS if entry.audience == "both" else (entry.audience,)
        missing = [r for r in readers if r not in entry.intro]
        if missing and not (entry.kind == "parts" and entry.default_part):
            raise GuideError(f"{entry.id}: no text for {missing}")
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


# -- composing answers -----------------------------------------------------------------------


def render_text(template: str) -> str:
    """Fill hotline placeholders line by line, keeping intended line breaks."""
    lines = (render_template(line) for line in template.splitlines())
    return "\n".join(line for line in lines if line)


def _buttons(entry: Entry, choice_ids: tuple[str, ...]) -> tuple[Button, ...]:
    guide, out = load_guide(), []
    for cid in choice_ids:
        if cid in guide.choices:
            out.append(guide.choices[cid])
        else:
            part = entry.part(cid)
            intent = entry.intent or ""
            out.append(Button(part.title or cid, f'/{intent}{{"subtopic":"{part.id}"}}'))
    return tuple(out)


def pick_part(entry: Entry, message: str = "", subtopic: str | None = None) -> Part | None:
    """The part a button named, else the first whose cue words are in the message, else the
    entry's default part (None: answer with the intro and let the person choose)."""
    if subtopic:
        for part in entry.parts:
            if part.id == subtopic:
                return part
    text = " " + re.sub(r"[^a-z0-9']+", " ", message.lower()) + " "
    for part in entry.parts:
        if any(f" {cue} " in text for cue in part.cues):
            return part
    return entry.part(entry.default_part) if entry.default_part else None


def answer(
    entry_id: str,
    reader: str | None = None,
    channel: str = "sms",
    language: str = "en",
    message: str = "",
    subtopic: str | None = None,
) -> Answer:
    """The answer to one guide topic for `reader` ("youth", "caregiver" or None: unknown)."""
    entry = load_guide().entry(entry_id)
    if entry.kind == "ideas":
        return next_idea(entry_id, 0, channel, language, with_intro=True)
    if entry.kind == "parts":
        part = pick_part(entry, message, subtopic)
        if part is not None and part.ideas:
            return next_idea(part.ideas, 0, channel, language, with_intro=True)
        if part is not None and part.text is not None:
            text = render_text(part.text.template(channel, language))
            used = written_in(language, channel, part.text)
            return Answer(text, _buttons(entry, part.choices or entry.choices), language=used)
        titled = tuple(p.id for p in entry.parts if p.title)
        intro_texts = entry.intro[entry.reader(reader)]
        intro = intro_texts.template(channel, language)
        used = written_in(language, channel, intro_texts)
        return Answer(render_text(intro), _buttons(entry, titled), language=used)
    intro_texts = entry.intro[entry.reader(reader)]
    text = render_text(intro_texts.template(channel, language))
    used = written_in(language, channel, intro_texts)
    return Answer(text, _buttons(entry, entry.choices), language=used)


def next_idea(
    list_id: str, index: int, channel: str = "sms", language: str = "en", with_intro: bool = False
) -> Answer:
    """Idea number `index` (0-based) of an idea list; past the last one, the closing text."""
    entry = load_guide().entry(list_id)
    if index >= len(entry.parts):
        assert entry.end is not None
        closing = render_text(entry.end.template(channel, language))
        guide = load_guide()
        rest = tuple(
            c for c in entry.choices if c not in guide.choices or guide.choices[c].payload != NEXT
        )
        return Answer(
            closing, _buttons(entry, rest), language=written_in(language, channel, entry.end)
        )
    idea = entry.parts[index]
    assert idea.text is not None
    text = render_text(idea.text.template(channel, language))
    pieces = [idea.text]
    if with_intro:
        intro_texts = entry.intro[entry.reader(None)]
        text = render_text(intro_texts.template(channel, language)) + "\n" + text
        pieces.append(intro_texts)
    used = written_in(language, channel, *pieces)
    return Answer(
        text, _buttons(entry, entry.choices), idea_list=list_id, idea_index=index, language=used
    )


def every_answer() -> Iterator[tuple[str, str, Answer]]:
    """Every answer the guide can produce, as (id, reader, answer): what the wording tests lint.

    Walks the same functions the actions call, over every reader, channel, language, part and
    idea, so a text cannot reach a person without being checked.
    """
    guide = load_guide()
    for entry in guide.entries.values():
        readers = READERS if entry.audience == "both" else (entry.audience,)
        for reader in readers:
            for channel in CHANNELS:
                for language in LANGUAGES:
                    where = f"{entry.id}[{reader}/{channel}/{language}]"
                    if entry.kind == "ideas":
                        for i in range(len(entry.parts) + 1):
                            yield f"{where}#{i}", reader, next_idea(entry.id, i, channel, language)
                        yield f"{where}#intro", reader, answer(entry.id, reader, channel, language)
                        continue
                    yield where, reader, answer(entry.id, reader, channel, language)
                    for part in entry.parts:
                        yield (
                            f"{where}.{part.id}",
                            reader,
                            answer(entry.id, reader, channel, language, subtopic=part.id),
                        )
