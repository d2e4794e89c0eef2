"""Where the person is, as far as the conversation says (a city or ZIP in this message, else the
city of the last place search), and the answers that depend on it: places for a need, and the
county's child-abuse reporting line.

Only city-level facts are kept between turns (`place_label`); a point is resolved again from it
when needed, never stored (docs/security.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import (
    channel_of,
    language_of,
    latest_text,
    remember,
    say,
    user_texts,
)
from resources import resolve_location
from resources.present import places_answer
from resources.reporting import county_of, reporting_line_ids, reporting_lines

AGE = re.compile(r"\d{1,2}")
NEEDS_PATH = Path(__file__).resolve().parents[2] / "resources" / "data" / "place_needs.yml"


@lru_cache(maxsize=1)
def _needs() -> dict[str, tuple[re.Pattern[str], ...]]:
    raw = yaml.safe_load(NEEDS_PATH.read_text(encoding="utf-8"))
    return {need: tuple(re.compile(p, re.IGNORECASE) for p in raw[need]) for need in raw}


def need_in(text: str) -> str | None:
    """The place need a message states besides its question ("shelter", "basic_needs")."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    for need, patterns in _needs().items():
        if any(p.search(plain) for p in patterns):
            return need
    return None


def place_in_message(tracker: Tracker) -> Place | None:
    """The place this message itself names (not the one remembered)."""
    return _resolved(latest_text(tracker))


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Extra:
    """A message that follows an answer, with the hotline ids whose numbers it gives."""

    text: str
    numbers: tuple[str, ...]


def age_of(tracker: Tracker) -> int | None:
    """The age the person gave for themself ("im 15"), to leave out places that would turn
    them away; never the age of someone they ask about."""
    if tracker.get_slot("who_is_asking") not in (None, "self"):
        return None
    found = AGE.search(str(tracker.get_slot("age") or ""))
    return int(found.group(0)) if found else None


# How many earlier messages a place named in passing is looked for in ("im 17 in henderson and
# got kicked out" ... "do they take gay kids there").
HISTORY_MESSAGES = 8


def _resolved(text: str) -> Place | None:
    if not text or text.startswith("/"):
        return None
    resolution = resolve_location(text)
    if resolution.status == "resolved" and resolution.point is not None:
        return Place(resolution.label or text, resolution.point.lat, resolution.point.lon)
    return None


def place_in_history(tracker: Tracker) -> Place | None:
    """The place an earlier message of this conversation named, most recent first: a person who
    said where they are once is not asked again because that message was about something else."""
    texts = user_texts(tracker)
    for text in reversed(texts[-HISTORY_MESSAGES - 1 : -1]):
        place = _resolved(text)
        if place is not None:
            return place
    return None


def known_place(tracker: Tracker) -> Place | None:
    """The place this message names, else the city of the last place search, else the place an
    earlier message named, else None."""
    for text in (latest_text(tracker), str(tracker.get_slot("place_label") or "")):
        place = _resolved(text)
        if place is not None:
            return place
    return place_in_history(tracker)


def place_answer(tracker: Tracker, place: Place, need: str = "shelter") -> str:
    return places_answer(
        place.label,
        (place.lat, place.lon),
        channel=channel_of(tracker),
        age=age_of(tracker),
        language=language_of(tracker),
        need=need,
    )


def national_answer(tracker: Tracker) -> str:
    """What helps anywhere, when we do not know where the person is."""
    return places_answer(None, None, channel=channel_of(tracker), language=language_of(tracker))


# In a message scanned word by word, a place name has at least one word this long ("LA" alone
# counts only where the whole message names it, as in "we're in LA").
MIN_PLACE_WORD = 4


def county_in(text: str) -> tuple[str | None, str | None]:
    """The county a reporting question names. The place search asks for a cue ("in reno") so
    that a word is not taken for a town by mistake; here any Nevada or California town or
    county named in the message counts ("stepson 13, sacramento, who do i report to"), since a
    wrong guess costs little next to a parent left with no number."""
    county, state = county_of(text)
    if county:
        return county, state
    words = re.findall(r"[a-zA-Z\u00c0-\u024f]+", text)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            span = " ".join(words[i : i + n])
            if max(len(w) for w in words[i : i + n]) < MIN_PLACE_WORD:
                continue  # "a la mamá": "a la" is not LA (a town named in passing has a word)
            found, found_state = county_of(span)
            if found and found_state in ("NV", "CA"):
                return found, found_state
    return county, state


def remembered_county(tracker: Tracker) -> tuple[str | None, str | None]:
    """The county this message names, else the one the conversation named before (the
    `county` slot), else the county of the last place searched."""
    text = latest_text(tracker)
    if text and not text.startswith("/"):
        county, state = county_in(text)
        if county:
            return county, state
    saved = str(tracker.get_slot("county") or "")
    if "|" in saved:
        county, _, state = saved.partition("|")
        return county or None, state or None
    label = str(tracker.get_slot("place_label") or "")
    return county_of(label) if label else (None, None)


def county_events(tracker: Tracker) -> list[EventType]:
    """Remember the county a message names, for a reporting answer later in the conversation."""
    text = latest_text(tracker)
    if not text or text.startswith("/"):
        return []
    county, state = county_in(text)
    if county and f"{county}|{state}" != tracker.get_slot("county"):
        return [SlotSet("county", f"{county}|{state or ''}")]
    return []


def county_lines(tracker: Tracker, language: str | None = None) -> Extra | None:
    """The child-abuse reporting line for the county the conversation names (this message
    first, then the last place searched), or the short list when no county is known."""
    language = language or language_of(tracker)
    county, state = remembered_county(tracker)
    # The answer before it already says to call 911 in danger: not twice.
    text = reporting_lines(county, state, language, danger=False)
    if not text:
        return None
    return Extra(text, reporting_line_ids(county, state, danger=False))


def places_for(dispatcher: CollectingDispatcher, tracker: Tracker, need: str) -> list[EventType]:
    """The places for a need where the person is, or the question that finds where."""
    place = known_place(tracker)
    if place is None:
        # The next message ("reno", "89119") starts the place search for this need.
        say(dispatcher, "ask_location", channel_of(tracker), language_of(tracker))
        return [SlotSet("place_need", need), SlotSet("last_question", "location")]
    dispatcher.utter_message(text=place_answer(tracker, place, need=need))
    return [*remember(f"places:{need}", tracker=tracker), SlotSet("place_label", place.label)]
