"""Puts resource facts into the short answers a person reads (SMS-sized by default).

The words come from resources/data/answer_formats.yml, the facts from the catalog; this module
only decides order and length: the nearest open options first, at most what fits one SMS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from resources.models import Point
from resources.nearby import NearbyAnswer, PlaceMatch, find_nearest_places

if TYPE_CHECKING:
    from resources.guide import Button

FORMATS_PATH = Path(__file__).parent / "data" / "answer_formats.yml"
TITLES_ES_PATH = Path(__file__).parent / "data" / "titles_es.yml"
SMS_LIMIT = 320


@lru_cache(maxsize=1)
def formats() -> dict[str, Any]:
    return dict(yaml.safe_load(FORMATS_PATH.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def spanish_titles() -> dict[str, str]:
    """English button title -> Spanish (resources/data/titles_es.yml)."""
    raw = yaml.safe_load(TITLES_ES_PATH.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in raw.items()}


def localized_title(title: str, language: str) -> str:
    """A button title in the language the person writes in, so a Spanish text is not followed
    by English choices. A title with no Spanish entry stays English (tests/resources fail on
    any such title the assistant can show)."""
    if language == "es":
        return spanish_titles().get(title, title)
    return title


def localized_buttons(
    buttons: Iterable[Button | Mapping[str, str]], language: str
) -> list[dict[str, str]]:
    """Buttons as Rasa and the gateway send them ({title, payload}), titled in `language`: the
    one place choices are translated, for the actions and the gateway's own offer alike."""
    out = []
    for b in buttons:
        pair = (b["title"], b["payload"]) if isinstance(b, Mapping) else (b.title, b.payload)
        out.append({"title": localized_title(pair[0], language), "payload": pair[1]})
    return out


def main_menu() -> list[dict[str, str]]:
    """The three things Waypoint can do, as buttons (numbered choices over SMS)."""
    return [dict(item) for item in formats()["menu"]]


def _words(block: str, language: str) -> dict[str, str]:
    """One block of answer_formats.yml in the person's language (English when there is none)."""
    by_language = formats()[block]
    return dict(by_language.get(language) or by_language["en"])


NEEDS = ("basic_needs", "shelter", "open_now")


def places_answer(
    label: str | None,
    point: tuple[float, float] | None,
    channel: str = "sms",
    age: int | None = None,
    language: str = "en",
    need: str | None = None,
    *,
    when: datetime | None = None,
    state: str | None = None,
) -> str:
    """The answer to "a place near X": local options, or national ones, never empty.

    ``need`` shapes it: "basic_needs" (food, a shower, clothes, hygiene, a phone charge: for a
    youth with no money) offers only places that have them, drop-in centres with known hours
    first; "shelter" only places to stay; "open_now" only places open right now (the usual
    answer, open ones first, when none is). A place whose details are unverified is offered
    with the one-line caveat of answer_formats.yml `caveats`."""
    if need is not None and need not in NEEDS:
        raise ValueError(f"unknown need {need!r}: one of {NEEDS}")
    if point is None:
        return _national(None, None, language)
    where = Point(lat=point[0], lon=point[1])
    tag = need if need in ("basic_needs", "shelter") else None
    answer = find_nearest_places(where, age=age, when=when, state=state, need=tag, limit=10)
    if need == "open_now":
        open_now = [m for m in answer.places if m.open_now is True]
        answer = replace(answer, places=open_now or answer.places)
    elif need == "basic_needs":
        answer = replace(answer, places=sorted(answer.places, key=_drop_in_first))
    if not answer.places:
        return _national(label, answer, language)
    return _local(label or _words("places", language)["you"], answer, channel, language)


def _drop_in_first(match: PlaceMatch) -> int:
    """Drop-in centres whose hours we know come first (sorted is stable: nearest stays first)."""
    return 0 if match.place.kind == "drop_in" and match.place.hours.status != "unknown" else 1


def _place_lines(match: PlaceMatch, n: int, language: str = "en") -> str:
    f = _words("places", language)
    place = match.place
    parts = [f["line"].format(n=n, name=place.short_name, phone=place.phone or "")]
    if place.hours.status != "unknown":
        described = match.hours_text(language=language)  # "lun-vie ..." starts a sentence here
        hours = f["hours"].format(hours=described[:1].upper() + described[1:])
        open_note = match.open_now and place.hours.status != "always"
        parts.append(hours[:-1] + " " + f["open_now"] if open_note else hours)
    elif match.open_now:
        parts.append(f["open_now"].capitalize().replace("(", "").replace(")", "") + ".")
    if place.ages and place.ages.min is not None and place.ages.max is not None:
        parts.append(f["ages"].format(ages=f"{place.ages.min}-{place.ages.max}"))
    if place.confidential_location:
        parts.append(f["confidential"])
    elif match.address is not None and match.distance_miles is not None:
        # Only from a real, current address: never a stale one (Eddy House, 2018) or a city point.
        parts.append(f["distance"].format(miles=_miles(match.distance_miles)))
    return " ".join(parts)


def _miles(distance: float) -> str:
    return "1" if distance < 1.5 else f"{distance:.0f}"


def _local(label: str, answer: NearbyAnswer, channel: str, language: str = "en") -> str:
    """At most two places with a phone, the caveat once if any of them is unverified (a place
    is dropped to make room for it), then the Safe Place sign if it still fits."""
    f = _words("places", language)
    intro: str = f["intro"].format(label=label)
    limit = SMS_LIMIT - 10 if channel == "sms" else 10**6
    shown: list[PlaceMatch] = []
    lines: list[str] = []
    for match in answer.places:
        if not match.place.phone:
            continue
        line = _place_lines(match, len(lines) + 1, language)
        if len("\n".join([intro, *lines, line])) > limit:
            break
        shown.append(match)
        lines.append(line)
        if len(lines) == 2:
            break
    caveat = _words("caveats", language)["verify"]
    while any(m.place.verify_before_launch for m in shown):
        if len("\n".join([intro, *lines, caveat])) <= SMS_LIMIT or len(lines) == 1:
            lines.append(caveat)
            break
        shown.pop()
        lines.pop()
    text = "\n".join([intro, *lines])
    sign = f["safe_place_sign"]
    has_network = any(m.place.kind == "safe_place_network" for m in answer.places)
    if has_network and len(text) + len(sign) + 1 <= SMS_LIMIT:
        text += "\n" + sign
    return text


def _national(label: str | None, answer: NearbyAnswer | None, language: str = "en") -> str:
    f = _words("national", language)
    text: str = f["intro_outside"].format(label=label) if label else f["intro_unknown"]
    from resources.catalog import load_catalog

    hotlines = (
        list(answer.national)
        if answer
        else [load_catalog().hotline(h) for h in load_catalog().national_fallback]
    )
    n = 0
    for hotline in hotlines:
        texts = hotline.channels_of("text")
        calls = hotline.channels_of("call")
        instructions = texts[0].instructions if texts else None
        if texts and language == "es" and texts[0].instructions_es:
            instructions = texts[0].instructions_es
        if instructions:
            line = f["text_line"].format(n=n + 1, instructions=instructions)
        elif calls:
            key = "call_line" if hotline.hours.status == "always" else "in_state_line"
            line = f[key].format(n=n + 1, name=hotline.short_name, call=calls[0].value)
        else:
            continue
        if len(text) + len(line) + 1 > SMS_LIMIT:
            break
        text += "\n" + line
        n += 1
    return text
