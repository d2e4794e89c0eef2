"""Puts resource facts into the short answers a person reads (SMS-sized by default).

The words come from resources/data/answer_formats.yml, the facts from the catalog; this module
only decides order and length: the nearest open options first, at most what fits one SMS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def places_answer(
    label: str | None,
    point: tuple[float, float] | None,
    channel: str = "sms",
    age: int | None = None,
    language: str = "en",
) -> str:
    """The answer to "a place near X": local options, or national ones, never empty."""
    if point is None:
        return _national(None, None, language)
    answer = find_nearest_places(Point(lat=point[0], lon=point[1]), age=age)
    if not answer.places:
        return _national(label, answer, language)
    return _local(label or _words("places", language)["you"], answer, channel, language)


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
    f = _words("places", language)
    text: str = f["intro"].format(label=label)
    shown = 0
    for match in answer.places:
        if not match.place.phone:
            continue
        candidate = text + "\n" + _place_lines(match, shown + 1, language)
        if channel == "sms" and len(candidate) > SMS_LIMIT - 10:
            break
        text = candidate
        shown += 1
        if shown == 2:
            break
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
