"""Answers composed from the guide (resources/guide.py): which text and which buttons a reader
gets for a topic, one idea at a time for idea lists (never a list on the phone: SEED_MAP §5.2),
the same answer in plainer words ("what does that mean?"), and every answer the guide can give
(what the wording tests lint).

An answer remembers what it was (`ref`, an entry and part id) and which hotlines' numbers it
gave (`numbers`), so a follow-up ("send that again", "the number again") can be answered
without keeping any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from resources.guide import (
    CHANNELS,
    LANGUAGES,
    NEXT,
    READERS,
    Button,
    Entry,
    Part,
    Texts,
    load_guide,
    pick_reader,
    written_in,
)
from resources.replies import numbers_in, render_template


@dataclass(frozen=True)
class Answer:
    """One message: its text, its buttons, and (for idea lists) where the list now stands."""

    text: str
    buttons: tuple[Button, ...] = ()
    idea_list: str | None = None
    idea_index: int | None = None
    language: str = "en"  # what the text is written in; its buttons are titled to match
    ref: str = ""  # entry id, "entry.part", or "list#index": what this answer was
    reader: str = "youth"  # whose text it is
    numbers: tuple[str, ...] = ()  # hotline ids whose numbers the text gives


def render_text(template: str) -> str:
    """Fill hotline placeholders line by line, keeping intended line breaks."""
    lines = (render_template(line) for line in template.splitlines())
    return "\n".join(line for line in lines if line)


def _compose(
    texts: list[Texts], channel: str, language: str, buttons: tuple[Button, ...], **fields: object
) -> Answer:
    templates = [t.template(channel, language) for t in texts]
    return Answer(
        "\n".join(render_text(t) for t in templates),
        buttons,
        language=written_in(language, channel, *texts),
        numbers=numbers_in(*templates),
        **fields,  # type: ignore[arg-type]
    )


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


def _words(message: str) -> str:
    """A message as cue words are matched: lower case, apostrophes dropped ("'daddy'", "he's"
    -> "hes"), everything else a space."""
    return " " + re.sub(r"[^a-z0-9ñ]+", " ", message.lower().replace("'", "")) + " "


def cued_part(entry: Entry, message: str) -> Part | None:
    """The first part of `entry` whose cue words are in the message, or None."""
    text = _words(message)
    for part in entry.parts:
        if any(_words(cue) in text for cue in part.cues):
            return part
    return None


def pick_part(
    entry: Entry,
    message: str = "",
    subtopic: str | None = None,
    earlier: Sequence[str] = (),
    previous: str | None = None,
) -> Part | None:
    """The part a button named, else the first whose cue words are in the message, else the
    first cued by an earlier message, most recent first ("is that normal tho" after "she owes
    her boyfriend money"), unless it is the part just given (`previous`: never the same text
    twice on a follow-up's earlier words alone), else the entry's default part (None: answer
    with the intro and let the person choose)."""
    if subtopic:
        for part in entry.parts:
            if part.id == subtopic:
                return part
    found = cued_part(entry, message)
    if found is None:
        cued = (cued_part(entry, text) for text in reversed(earlier))
        found = next((c for c in cued if c is not None and c.id != previous), None)
    if found is not None:
        return found
    return entry.part(entry.default_part) if entry.default_part else None


def answer(
    entry_id: str,
    reader: str | None = None,
    channel: str = "sms",
    language: str = "en",
    message: str = "",
    subtopic: str | None = None,
    earlier: Sequence[str] = (),
    previous: str | None = None,
) -> Answer:
    """The answer to one guide topic for `reader` (a READERS name, or None: not known);
    `earlier` messages and the `previous` part choose the part as `pick_part` says."""
    entry = load_guide().entry(entry_id)
    who = entry.reader(reader)
    if entry.kind == "ideas":
        return next_idea(entry_id, 0, channel, language, with_intro=True, reader=who)
    if entry.kind == "parts":
        part = pick_part(entry, message, subtopic, earlier, previous)
        if part is not None and part.ideas:
            return next_idea(part.ideas, 0, channel, language, with_intro=True, reader=who)
        if part is not None:
            wanted = reader if reader in READERS else entry.likely_reader()
            key = pick_reader(part.texts, wanted)
            if key is not None:
                buttons = _buttons(entry, part.choices or entry.choices)
                ref = f"{entry.id}.{part.id}"
                used = wanted if key == "*" else key
                return _compose([part.texts[key]], channel, language, buttons, ref=ref, reader=used)
        titled = tuple(p.id for p in entry.parts if p.title)
        return _compose(
            [entry.intro[who]], channel, language, _buttons(entry, titled), ref=entry.id, reader=who
        )
    buttons = _buttons(entry, entry.choices)
    return _compose([entry.intro[who]], channel, language, buttons, ref=entry.id, reader=who)


def next_idea(
    list_id: str,
    index: int,
    channel: str = "sms",
    language: str = "en",
    with_intro: bool = False,
    reader: str = "youth",
) -> Answer:
    """Idea number `index` (0-based) of an idea list; past the last one, the closing text."""
    entry = load_guide().entry(list_id)
    if index >= len(entry.parts):
        assert entry.end is not None
        guide = load_guide()
        rest = tuple(
            c for c in entry.choices if c not in guide.choices or guide.choices[c].payload != NEXT
        )
        return _compose([entry.end], channel, language, _buttons(entry, rest), ref=f"{list_id}#end")
    idea = entry.parts[index]
    assert idea.text is not None
    pieces = [idea.text]
    if with_intro:
        pieces.insert(0, entry.intro[entry.reader(reader)])
    return _compose(
        pieces,
        channel,
        language,
        _buttons(entry, entry.choices),
        idea_list=list_id,
        idea_index=index,
        ref=f"{list_id}#{index}",
        reader=reader,
    )


def again(ref: str, reader: str | None, channel: str = "sms", language: str = "en") -> Answer:
    """The answer `ref` names (from Answer.ref), given again ("send that again")."""
    entry_id, _, rest = ref.partition("#")
    if rest:  # an idea list: the idea, with the list's buttons
        index = len(load_guide().entry(entry_id).parts) if rest == "end" else int(rest)
        return next_idea(entry_id, index, channel, language, reader=reader or "youth")
    entry_id, _, part_id = ref.partition(".")
    return answer(entry_id, reader, channel, language, subtopic=part_id or None)


def explain(ref: str, reader: str | None, channel: str = "sms", language: str = "en") -> Answer:
    """The answer `ref` names said more simply, when the guide has plainer words for it; else
    the same answer again (the person still gets it, and the action offers a person)."""
    entry_id, _, part_id = ref.partition("#")[0].partition(".")
    entry = load_guide().entry(entry_id)
    plain: Texts | None = None
    if part_id and entry.has_part(part_id):
        plain = entry.part(part_id).explain
    if plain is None and entry.explain:
        key = pick_reader(entry.explain, reader or entry.likely_reader())
        plain = entry.explain[key] if key else None
    if plain is None:
        return again(ref, reader, channel, language)
    return _compose([plain], channel, language, (), ref=ref, reader=reader or "youth")


def has_explanation(ref: str) -> bool:
    entry_id, _, part_id = ref.partition("#")[0].partition(".")
    guide = load_guide()
    if entry_id not in guide.entries:
        return False
    entry = guide.entry(entry_id)
    if part_id and entry.has_part(part_id) and entry.part(part_id).explain is not None:
        return True
    return bool(entry.explain)


def every_answer() -> Iterator[tuple[str, str, Answer]]:
    """Every answer the guide can produce, as (id, reader, answer): what the wording tests lint.

    Walks the same functions the actions call, over every reader, channel, language, part and
    idea (and the plainer words of each), so a text cannot reach a person unchecked. The
    reader is whoever may be shown the text: it is linted at that reader's reading level.
    """
    guide = load_guide()
    for entry in guide.entries.values():
        for reader in READERS:
            for channel in CHANNELS:
                for language in LANGUAGES:
                    yield from _entry_answers(entry, reader, channel, language)


def _entry_answers(
    entry: Entry, reader: str, channel: str, language: str
) -> Iterator[tuple[str, str, Answer]]:
    where = f"{entry.id}[{reader}/{channel}/{language}]"
    if entry.kind == "ideas":
        for i in range(len(entry.parts) + 1):
            yield f"{where}#{i}", reader, next_idea(entry.id, i, channel, language, reader=reader)
        yield f"{where}#intro", reader, answer(entry.id, reader, channel, language)
    else:
        yield where, reader, answer(entry.id, reader, channel, language)
        for part in entry.parts:
            reply = answer(entry.id, reader, channel, language, subtopic=part.id)
            yield f"{where}.{part.id}", reader, reply
    refs = [entry.id] + [f"{entry.id}.{p.id}" for p in entry.parts]
    for ref in refs:
        if has_explanation(ref):
            yield f"{where}.explain:{ref}", reader, explain(ref, reader, channel, language)
