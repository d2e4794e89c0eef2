"""Checks on the texts the assistant sends: every number in a reply comes from the data files.

A number typed into a reply ("text 988", a toll-free number) is a second copy of a fact that
lives in hotlines.yml; when the number changes, the copy does not, and a youth gets the old
one. So a template may name a number only through a placeholder (``{lifeline_988.text}``), and
every placeholder must render: one that needs a hidden or unverified channel
(``verify_before_launch``) is an error too, because the text would go out without its number.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from resources import models as m

# Files whose strings under an `en`/`es` key are texts sent to people: the reply files
# (resources.replies.REPLY_FILES) plus these. A file missing from a data folder is skipped.
OTHER_TEXT_FILES = ("guide.yml", "answer_formats.yml")
LANGUAGE_KEYS = ("en", "es")
# A phone number or short code typed by hand: a run of 3+ digits ("988", "741741"), an N11
# code written with dashes ("2-1-1"), or a vanity code ("4HELP"; a toll-free vanity number
# has its 800 digits anyway).
TYPED_NUMBER = re.compile(r"\d{3,}|\b\d-\d-\d\b|\b\d[A-Z]{3,}\b")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def text_files() -> tuple[str, ...]:
    """The reply files the replies module reads, plus the guide and the answer formats."""
    from resources import replies

    return tuple(dict.fromkeys((*replies.REPLY_FILES, *OTHER_TEXT_FILES)))


def _strings(node: Any, path: tuple[str, ...], in_text: bool) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, str(key)), in_text or str(key) in LANGUAGE_KEYS)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("id", index) if isinstance(value, dict) else index
            yield from _strings(value, (*path, str(name)), in_text)
    elif isinstance(node, str) and in_text:
        yield ".".join(path), node


def templates(data_dir: Path) -> list[tuple[str, str, str]]:
    """Every text template in the folder: (file, dotted path, template)."""
    out = []
    for name in text_files():
        path = data_dir / name
        if not path.is_file():
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += [(name, where, text) for where, text in _strings(doc, (), False)]
    return out


def typed_numbers(template: str) -> list[str]:
    """Numbers written into a template outside its placeholders."""
    return TYPED_NUMBER.findall(_PLACEHOLDER.sub(" ", template))


def field_value(hotline: m.Hotline, field: str) -> str | None:
    """What ``{id.field}`` renders to, as resources.replies fills it (``call`` is the digits
    of the first offered call channel), or None when the hotline cannot give it."""
    if field == "call":
        calls = hotline.channels_of("call")
        return calls[0].value if calls else None
    return hotline.display(field)


def placeholder_problems(catalog: m.Catalog, template: str) -> list[str]:
    """Placeholders naming an unknown hotline, or a field that is hidden or unverified."""
    hotlines = {h.id: h for h in catalog.hotlines}
    out = []
    try:
        names = [n for _, n, _, _ in string.Formatter().parse(template) if n]
    except ValueError as exc:
        return [f"malformed placeholder: {exc}"]
    for name in names:
        hotline_id, dot, field = name.partition(".")
        if not dot:
            continue  # {label}, {n}, {county}: filled by the code that uses the piece
        hotline = hotlines.get(hotline_id)
        if hotline is None:
            out.append(f"{{{name}}}: no hotline {hotline_id!r}")
        elif field_value(hotline, field) is None:
            out.append(f"{{{name}}}: {hotline_id} offers no {field!r} (hidden, unverified or none)")
    return out


def text_problems(catalog: m.Catalog, data_dir: Path) -> list[tuple[str, str, str]]:
    """(file, text path, reason) for every typed number and every placeholder that fails."""
    out = []
    for file, where, template in templates(data_dir):
        for number in dict.fromkeys(typed_numbers(template)):
            out.append((file, where, f"typed number {number!r}: use a placeholder"))
        out += [(file, where, reason) for reason in placeholder_problems(catalog, template)]
    return out
