"""Texts the gateway and the actions send, rendered from resources/data/replies.yml.

Numbers are never written into a reply by hand: a placeholder such as ``{nhth.call}`` is filled
from the hotline catalog, so correcting a number in hotlines.yml corrects every text.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


class ReplyError(KeyError):
    """A reply id, channel or language that the data does not have."""


REPLY_FILES = ("replies.yml", "replies_handoff.yml", "replies_followups.yml", "replies_plan.yml")
# Placeholders without a dot are values the caller gives (``{plan_days}``); the wording
# checker renders every text with these samples.
SAMPLE_VALUES = {"plan_days": "3"}


@lru_cache(maxsize=1)
def load_replies() -> dict[str, dict[str, Any]]:
    """All reply texts; ids are unique across the files (a duplicate is an error)."""
    replies: dict[str, dict[str, Any]] = {}
    for name in REPLY_FILES:
        for reply_id, entry in yaml.safe_load(
            (DATA_DIR / name).read_text(encoding="utf-8")
        ).items():
            if reply_id in replies:
                raise ReplyError(f"reply {reply_id!r} is defined twice ({name})")
            replies[reply_id] = entry
    return replies


@lru_cache(maxsize=1)
def load_quick_replies() -> list[dict[str, str]]:
    """Starting points for advocates' replies (they edit before sending), with their numbers
    filled from the hotline catalog like every other text."""
    raw = yaml.safe_load((DATA_DIR / "quick_replies.yml").read_text(encoding="utf-8"))
    return [
        {k: render_template(str(v)) if k.startswith("text") else str(v) for k, v in item.items()}
        for item in raw
    ]


@lru_cache(maxsize=1)
def load_keywords() -> dict[str, list[str]]:
    return dict(yaml.safe_load((DATA_DIR / "keywords.yml").read_text(encoding="utf-8")))


class _HotlineFields:
    """Attribute view of one hotline for str.format: ``{nhth.call}``."""

    def __init__(self, hotline_id: str) -> None:
        from resources.catalog import load_catalog

        self._hotline = load_catalog().hotline(hotline_id)

    def __getattr__(self, field: str) -> str:
        # On a phone, digits can be tapped; a vanity number ("1-800-RUNAWAY") cannot.
        if field == "call":
            calls = self._hotline.channels_of("call")
            if calls:
                return calls[0].value
        value = self._hotline.display(field)
        if value is None:
            raise ReplyError(f"hotline {self._hotline.id!r} has no {field!r}")
        return value


class _Lookup(dict[str, Any]):
    """Values the caller gave first, then hotlines by id."""

    def __missing__(self, key: str) -> _HotlineFields:
        return _HotlineFields(key)


def placeholders(template: str) -> list[str]:
    """The ``id.field`` placeholders a template uses (for the validator and the tests)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def render_template(template: str, **values: str) -> str:
    return " ".join(template.format_map(_Lookup(values)).split())


def render(reply_id: str, channel: str = "sms", language: str = "en", **values: str) -> str:
    """The text of one reply; a channel without its own variant (web) uses the SMS one, and a
    missing language falls back to English."""
    try:
        entry = load_replies()[reply_id]
    except KeyError as exc:
        raise ReplyError(f"no reply {reply_id!r}") from exc
    variants = entry.get(channel) or entry.get("sms")
    if not variants:
        raise ReplyError(f"no reply {reply_id!r} for channel {channel!r}")
    template = variants.get(language) or variants["en"]
    return render_template(template, **values)


def reply_template(reply_id: str, channel: str = "sms", language: str = "en") -> str:
    """The unrendered template `render` uses (its placeholders say which numbers it gives)."""
    entry = load_replies()[reply_id]
    variants = entry.get(channel) or entry.get("sms") or {}
    return str(variants.get(language) or variants["en"])


def numbers_in(*templates: str) -> tuple[str, ...]:
    """Hotline ids named by the templates' placeholders ({nhth.call} -> nhth), in order."""
    seen: dict[str, None] = {}
    for template in templates:
        for name in placeholders(template):
            if "." not in name:
                continue  # a value the caller fills ({plan_days}), not a number
            seen.setdefault(name.split(".", 1)[0], None)
    return tuple(seen)


def reply_numbers(reply_id: str, channel: str = "sms", language: str = "en") -> tuple[str, ...]:
    """The hotline ids whose numbers a reply gives, in order."""
    return numbers_in(reply_template(reply_id, channel, language))


def reply_language(reply_id: str, channel: str = "sms", language: str = "en") -> str:
    """The language `render` really uses for this reply: `language` when the reply has that
    variant, else English (so the buttons that follow can match the text)."""
    entry = load_replies()[reply_id]
    variants = entry.get(channel) or entry.get("sms") or {}
    return language if language in variants else "en"


def all_reply_texts() -> list[tuple[str, str, str, str]]:
    """Every (reply id, channel, language, rendered text): what the wording checker lints."""
    out = []
    for reply_id, entry in load_replies().items():
        for channel, variants in entry.items():
            if channel == "audience":
                continue
            for language in variants:
                text = render(reply_id, channel, language, **SAMPLE_VALUES)
                out.append((reply_id, channel, language, text))
    return out
