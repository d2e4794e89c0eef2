"""Opening hours: parse the YAML form, answer "open now?" and say the hours in a few words.

Hours are always evaluated in the place's own time zone, never the server's: the gateway may run
in UTC while a youth in Las Vegas asks at 9 pm Pacific. "Unknown" is a real answer (None), not
"closed": most seed entries print no hours, and the bot must say so rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from resources.models import Hours, Interval

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Spanish abbreviations without accents, so an SMS stays GSM-7 ("sab", not "sáb").
DAY_LABELS_ES = ("lun", "mar", "mie", "jue", "vie", "sab", "dom")
_WORDS = {
    "en": {"not_listed": "hours not listed", "closed": "closed", "and": " and "},
    "es": {"not_listed": "horario no indicado", "closed": "cerrado", "and": " y "},
}
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})(\+1)?$")
_KEYS = {"timezone", "weekly", "always_open", "unknown", "as_printed"}


class HoursError(ValueError):
    """Hours data that cannot be read; the message says what is wrong in plain words."""


def _minutes(hour: str, minute: str, *, is_end: bool) -> int:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and (m != 0 or not is_end)):
        raise HoursError(f"time {hour}:{minute} is not a clock time (00:00-23:59, or 24:00 as end)")
    return h * 60 + m


def parse_interval(text: str) -> Interval:
    """``"08:00-19:00"``; an end before the start must be marked ``+1`` (overnight)."""
    found = _RANGE.match(text.replace(" ", ""))
    if not found:
        raise HoursError(f"interval {text!r} is not HH:MM-HH:MM (add +1 for overnight)")
    start = _minutes(found[1], found[2], is_end=False)
    end = _minutes(found[3], found[4], is_end=True)
    if found[5]:
        if end >= start:
            raise HoursError(f"interval {text!r} is marked overnight (+1) but ends after it starts")
        return Interval(start, end + 1440)
    if end <= start:
        raise HoursError(f"interval {text!r} ends before it starts (mark overnight with +1)")
    return Interval(start, end)


def _day_indexes(key: str) -> list[int]:
    names = str(key).strip().lower().split("-")
    if any(name not in DAYS for name in names) or len(names) > 2:
        raise HoursError(f"day {key!r} is not one of {', '.join(DAYS)} (or a range like mon-fri)")
    first, last = DAYS.index(names[0]), DAYS.index(names[-1])
    if last < first:
        raise HoursError(f"day range {key!r} runs backwards")
    return list(range(first, last + 1))


def _parse_weekly(raw: Any) -> tuple[tuple[Interval, ...], ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise HoursError("weekly must map days to lists of HH:MM-HH:MM")
    days: list[tuple[Interval, ...] | None] = [None] * 7
    for key, spans in raw.items():
        if isinstance(spans, str):
            spans = [spans]
        if not isinstance(spans, list) or not all(isinstance(s, str) for s in spans):
            raise HoursError(f"hours for {key!r} must be a list of HH:MM-HH:MM strings")
        intervals = tuple(sorted((parse_interval(s) for s in spans), key=lambda i: i.start))
        for a, b in pairwise(intervals):
            if b.start < a.end:
                raise HoursError(f"intervals for {key!r} overlap")
        for index in _day_indexes(key):
            if days[index] is not None:
                raise HoursError(f"{DAYS[index]} is given twice")
            days[index] = intervals
    return tuple(d or () for d in days)


def parse_hours(raw: Any) -> Hours:
    """Read one ``hours:`` mapping (see docs/resources.md for the forms it takes)."""
    if not isinstance(raw, Mapping):
        raise HoursError("hours must be a mapping (always_open, unknown or weekly)")
    extra = set(raw) - _KEYS
    if extra:
        raise HoursError(f"unknown hours keys: {', '.join(sorted(map(str, extra)))}")
    printed = raw.get("as_printed")
    if printed is not None and not isinstance(printed, str):
        raise HoursError("as_printed must be text")
    forms = [k for k in ("always_open", "unknown", "weekly") if raw.get(k)]
    if len(forms) != 1:
        raise HoursError("give exactly one of always_open: true, unknown: true or weekly")
    tz = raw.get("timezone")
    if tz is not None:
        try:
            ZoneInfo(str(tz))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise HoursError(f"unknown time zone {tz!r}") from exc
    if forms[0] == "always_open":
        return Hours("always", tz, (), printed)
    if forms[0] == "unknown":
        return Hours("unknown", tz, (), printed)
    if tz is None:
        raise HoursError("weekly hours need a timezone (e.g. America/Los_Angeles)")
    return Hours("weekly", str(tz), _parse_weekly(raw["weekly"]), printed)


def _local(hours: Hours, when: datetime | None) -> datetime:
    zone = ZoneInfo(hours.timezone or "UTC")
    if when is None:
        return datetime.now(timezone.utc).astimezone(zone)
    if when.tzinfo is None:
        return when.replace(tzinfo=zone)  # a naive time is read as the place's local time
    return when.astimezone(zone)


def is_open(hours: Hours, when: datetime | None = None) -> bool | None:
    """True/False for known hours, None when the hours are unknown. ``when`` defaults to now;
    a naive datetime is taken as the place's local time."""
    if hours.status == "always":
        return True
    if hours.status != "weekly":
        return None
    local = _local(hours, when)
    day, minute = local.weekday(), local.hour * 60 + local.minute
    if any(i.start <= minute < i.end for i in hours.weekly[day]):
        return True
    yesterday = hours.weekly[(day - 1) % 7]
    return any(i.end > 1440 and minute < i.end - 1440 for i in yesterday)


def _clock(minutes: int) -> str:
    hour, minute = divmod(minutes % 1440, 60)
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


def _spans(intervals: tuple[Interval, ...], dash: str, joiner: str = " and ") -> str:
    return joiner.join(f"{_clock(i.start)}{dash}{_clock(i.end)}" for i in intervals)


def describe(hours: Hours, *, dash: str = "-", language: str = "en") -> str:
    """Short plain text such as "Mon-Sat 8am-7pm" ("lun-sab 8am-7pm") or "24/7". The default
    dash is ASCII so an SMS stays GSM-7; pass ``dash="–"`` for web chat. Unknown hours give the
    source's words if any (in English only: the source's words are English)."""
    words = _WORDS.get(language, _WORDS["en"])
    labels = DAY_LABELS_ES if language == "es" else DAY_LABELS
    if hours.status == "always":
        return "24/7"
    if hours.status != "weekly":
        return (hours.as_printed if language == "en" else None) or words["not_listed"]
    if all(day == (Interval(0, 1440),) for day in hours.weekly):
        return "24/7"
    groups: list[tuple[int, int, tuple[Interval, ...]]] = []
    for index, day in enumerate(hours.weekly):
        if groups and groups[-1][2] == day and groups[-1][1] == index - 1:
            groups[-1] = (groups[-1][0], index, day)
        else:
            groups.append((index, index, day))
    parts = []
    for first, last, day in groups:
        if not day:
            continue
        days = labels[first] if first == last else f"{labels[first]}{dash}{labels[last]}"
        parts.append(f"{days} {_spans(day, dash, words['and'])}")
    return ", ".join(parts) if parts else words["closed"]
