"""Check resource data against the outside world: numbering plans, the ZIP database, the map.

``python -m resources check`` runs this in CI and before an operator ships edited data. A wrong
digit in a hotline, or a shelter placed in the wrong state, is a safety bug for the youth who is
sent there, so every such problem is an error; an old ``last_verified`` is a warning, because the
seeds are old and honest dates are better than pretended ones.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import phonenumbers
import zipcodes

from resources import models as m
from resources.catalog import DEFAULT_DATA_DIR, CatalogError, read_catalog
from resources.citations import catalog_items, citation_problems, guide_items
from resources.geo import distance_miles, in_polygon
from resources.text_checks import text_problems

STALE_AFTER_DAYS = 365
MAX_MILES_FROM_ZIP = 10.0
_N11 = re.compile(r"^[2-9]11$")
_SHORT_CODE = re.compile(r"^\d{5,6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
HIDDEN = "not offered: every channel is verify_before_launch (hidden until verified)"
NO_SEEDS = "seed texts not found (../shared/seeds or WAYPOINT_SEEDS_DIR): citations not checked"


@dataclass(frozen=True)
class Problem:
    level: str  # "error" or "warning"
    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        tag = "" if self.level == "error" else "warning: "
        return f"{self.file}: {self.entry}: {tag}{self.reason}"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", phonenumbers.convert_alpha_characters_in_number(text))


def phone_problem(number: str, kind: str = "call") -> str | None:
    """Why a number cannot be dialled or texted in the US, or None if it can.

    Dialling codes are allowed only where they work: N11 codes (911, 2-1-1, 711) and 988 for
    calls and TTY, 988 and 5-6 digit short codes for texts."""
    plain = _digits(number)
    if kind in ("call", "tty") and (_N11.match(plain) or plain == "988"):
        return None
    if kind == "text" and (_SHORT_CODE.match(plain) or plain == "988"):
        return None
    if len(plain) < 10:
        return f"{kind} number {number!r} is neither a full US number nor an allowed short code"
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return f"{kind} number {number!r} does not parse"
    if parsed.country_code != 1 or not phonenumbers.is_valid_number_for_region(parsed, "US"):
        return f"{kind} number {number!r} is not a valid US number"
    return None


def _channel_problems(channel: m.Channel) -> list[str]:
    out = []
    if channel.kind in ("call", "tty", "text"):
        problem = phone_problem(channel.value, channel.kind)
        if problem:
            out.append(problem)
        elif channel.display:
            value = _digits(channel.value)  # vanity letters past the last digit don't dial
            shown = _digits(channel.display.split("(")[0])[: len(value)]
            if shown and not value.endswith(shown):
                out.append(f"display {channel.display!r} does not spell {channel.value!r}")
    elif channel.kind == "email" and not _EMAIL.match(channel.value):
        out.append(f"email {channel.value!r} is malformed")
    elif channel.kind in ("web", "chat") and not channel.value.startswith(("http://", "https://")):
        out.append(f"{channel.kind} {channel.value!r} is not an http(s) URL")
    return out


def _address_problems(place: m.Place) -> list[str]:
    address = place.address
    if address is None:
        return []
    valid = re.fullmatch(r"\d{5}", address.zip)
    found = zipcodes.matching(address.zip) if valid else []  # type: ignore[no-untyped-call]
    if not found:
        return [f"ZIP {address.zip!r} is not a US ZIP code"]
    record = found[0]
    cities = {record["city"].lower(), *(c.lower() for c in record["acceptable_cities"])}
    if record["state"] != address.state or address.city.lower() not in cities:
        return [
            f"ZIP {address.zip} belongs to {record['city']}, {record['state']}, "
            f"not {address.city}, {address.state}"
        ]
    if place.location is not None:
        centre = m.Point(float(record["lat"]), float(record["long"]))
        miles = distance_miles(place.location, centre)
        if miles > MAX_MILES_FROM_ZIP:
            return [f"location is {miles:.0f} miles from the centre of ZIP {address.zip}"]
    return []


def _in_region(point: m.Point, region: m.Region) -> bool:
    if region.kind == "state":
        return in_polygon(point, region.boundary)
    assert region.center is not None and region.radius_miles is not None
    return distance_miles(point, region.center) <= region.radius_miles


def _reporting_problems(h: m.Hotline) -> list[str]:
    """A reporting line must name real counties and be callable; a line that says it takes no
    reports must never be set up as one."""
    area = h.reporting_area
    if area is None:
        return []
    out = ["not_a_reporting_line and reporting_area contradict"] if h.not_a_reporting_line else []
    known = {
        str(r["county"]).removesuffix(" County").lower()
        for r in zipcodes.filter_by(state=area.state)  # type: ignore[no-untyped-call]
    }
    out += [f"reporting_area: no county {n!r} in {area.state}" for n in area.counties
            if n.lower() not in known]  # fmt: skip
    if not h.channels_of("call"):
        out.append("a reporting line needs a call channel that is offered")
    return out


def _hotline_problems(c: m.Catalog, h: m.Hotline) -> list[str]:
    found = [bad for ch in h.channels for bad in _channel_problems(ch)]
    found += [bad for r in h.replaces if (bad := phone_problem(r.number))]
    if not any(ch.present for ch in h.channels):
        found.append("no channel may be shown (all present: false)")
    words = set(re.findall(r"[a-z]+", h.discreet_label.lower()))
    found += [f"discreet_label uses {w!r}" for w in c.discreet_forbidden if w in words]
    return found + _reporting_problems(h)


def _entry_problems(c: m.Catalog) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    regions = {r.id: r for r in c.regions}
    for h in c.hotlines:
        out += [("hotlines.yml", h.id, p) for p in _hotline_problems(c, h)]
    areas = [(h.reporting_area.state, h.id) for h in c.hotlines
             if h.reporting_area and h.reporting_area.other_counties]  # fmt: skip
    for state, count in Counter(state for state, _ in areas).items():
        if count > 1:
            out.append(("hotlines.yml", "-", f"{count} lines take other_counties in {state}"))
    for p in c.places:
        found = _address_problems(p)
        if p.ages and p.ages.min is not None and p.ages.min >= 18 and p.offer_to_minors:
            found.append("serves adults only (ages.min >= 18): set offer_to_minors: false")
        if p.phone and (problem := phone_problem(p.phone)):
            found.append(problem)
        if p.email and not _EMAIL.match(p.email):
            found.append(f"email {p.email!r} is malformed")
        region = regions.get(p.region)
        if p.location and region and not _in_region(p.location, region):
            found.append(f"location is outside its region {p.region!r}")
        out += [("places.yml", p.id, problem) for problem in found]
    for g in c.gazetteer:
        region = regions.get(g.region or "")
        if region and not _in_region(g.point, region):
            out.append(("gazetteer.yml", g.id, f"point is outside its region {g.region!r}"))
    return out


def _stale(c: m.Catalog, today: date) -> list[tuple[str, str, date]]:
    dated: list[tuple[str, str, date | None]] = [
        *(("hotlines.yml", h.id, h.last_verified) for h in c.hotlines),
        *(("places.yml", p.id, p.last_verified) for p in c.places),
        *(("regions.yml", r.id, r.last_verified) for r in c.regions),
    ]
    return [(f, i, d) for f, i, d in dated if d and (today - d).days > STALE_AFTER_DAYS]


def default_seeds_dir() -> Path | None:
    """The seeds beside the repository (``../shared/seeds``) or ``WAYPOINT_SEEDS_DIR``."""
    configured = os.environ.get("WAYPOINT_SEEDS_DIR")
    candidate = Path(configured) if configured else DEFAULT_DATA_DIR.parents[2] / "shared/seeds"
    return candidate if candidate.is_dir() else None


def check(
    data_dir: Path | None = None, *, today: date | None = None, seeds_dir: Path | None = None
) -> list[Problem]:
    """Every problem in a data folder: structural ones first, then outside-world checks."""
    structural: list[CatalogError] = []
    catalog = read_catalog(Path(data_dir or DEFAULT_DATA_DIR), structural)
    problems = [Problem("error", e.file, e.entry_id, e.reason) for e in structural]
    if catalog is None:
        return problems
    problems += [Problem("error", *item) for item in _entry_problems(catalog)]
    problems += [Problem("warning", "hotlines.yml", h.id, HIDDEN) for h in catalog.hotlines
                 if not h.offered_channels and any(ch.present for ch in h.channels)]  # fmt: skip
    folder = Path(data_dir or DEFAULT_DATA_DIR)
    problems += [
        Problem("error", f, where, why) for f, where, why in text_problems(catalog, folder)
    ]
    if seeds_dir is None:
        problems.append(Problem("warning", "seeds", "-", NO_SEEDS))
    else:
        items = [*catalog_items(catalog)]
        if (folder / "guide.yml").is_file():
            items += guide_items(folder / "guide.yml")
        problems += [Problem("error", *item) for item in citation_problems(items, seeds_dir)]
    for file, entry, when in _stale(catalog, today or datetime.now(timezone.utc).date()):
        reason = f"last_verified {when.isoformat()} is over {STALE_AFTER_DAYS} days old"
        problems.append(Problem("warning", file, entry, reason))
    return problems
