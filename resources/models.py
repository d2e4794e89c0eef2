"""Typed, frozen records for everything in resources/data.

The same objects serve the Rasa action server (Python 3.10, pydantic 1) and the gateway
(Python 3.11, pydantic 2), so they are plain stdlib dataclasses: no validation library whose
major version differs between the two environments. Parsing and checking live in catalog.py and
validate.py; these classes only hold data and answer simple questions about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SOURCE_KINDS = ("seed", "official", "project")
CHANNEL_KINDS = ("call", "text", "chat", "tty", "email", "web")
PLACE_KINDS = ("drop_in", "shelter", "safe_place_network", "program", "referral_line")
LOCATION_PRECISIONS = ("address", "street_estimate", "city", "none")
GAZETTEER_KINDS = ("city", "neighbourhood", "landmark", "county")


@dataclass(frozen=True)
class Source:
    """Where a fact came from, so anyone can re-check it: a seed line range, an official source
    that corrected the seed, or a project document (SEED_MAP) that recorded a current status."""

    kind: str
    ref: str


@dataclass(frozen=True)
class Channel:
    """One way to reach a hotline. ``present`` is False for a channel kept only for the record;
    ``verify_before_launch`` marks one nobody has confirmed from a current public source. Either
    one keeps the channel out of every answer (``offered``): a wrong number given to a youth in
    crisis is worse than none. ``label`` tells two channels of one kind apart ("after_hours",
    "outside_state") so a text can name the one it needs."""

    kind: str
    value: str
    display: str | None = None
    keyword: str | None = None
    instructions: str | None = None
    hours_note: str | None = None
    present: bool = True
    verify_before_launch: bool = False
    note: str | None = None
    sources: tuple[Source, ...] = ()
    instructions_es: str | None = None  # the same instructions in Spanish, for Spanish answers
    keyword_es: str | None = None  # the word to text in Spanish (Crisis Text Line: HOLA)
    label: str | None = None

    @property
    def offered(self) -> bool:
        """May be given to a person: recorded as present and verified."""
        return self.present and not self.verify_before_launch

    @property
    def shown(self) -> str:
        """What a person reads: the vanity form when there is one, else the value."""
        return self.display or self.value


@dataclass(frozen=True)
class Interval:
    """Minutes after local midnight. ``end`` may pass 1440 only for an interval the data marks
    as overnight, so that closing at 06:00 the next morning is never a typo for 16:00."""

    start: int
    end: int


@dataclass(frozen=True)
class Hours:
    """Opening hours in the place's own time zone (a youth texting at 9 pm needs the answer for
    the place, not for the server). ``status`` is "always", "weekly" or "unknown"; ``weekly`` has
    seven entries, Monday first; ``as_printed`` keeps the source's own words."""

    status: str
    timezone: str | None = None
    weekly: tuple[tuple[Interval, ...], ...] = ()
    as_printed: str | None = None


@dataclass(frozen=True)
class AgeRange:
    """Ages a service takes, as printed; either bound may be open (None)."""

    min: int | None = None
    max: int | None = None
    as_printed: str | None = None

    def includes(self, age: int) -> bool:
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)


@dataclass(frozen=True)
class ReportingArea:
    """Where a child-abuse reporting line takes reports: one state, and either named counties
    or ``other_counties`` (every county of the state that has no line of its own)."""

    state: str
    counties: tuple[str, ...] = ()
    other_counties: bool = False


@dataclass(frozen=True)
class Program:
    """A named service a hotline runs (Runaway Safeline's Home Free), with its own ages, so an
    action can say whether the person is eligible before offering it."""

    id: str
    name: str
    summary: str
    sources: tuple[Source, ...]
    ages: AgeRange | None = None


@dataclass(frozen=True)
class Replaced:
    """A number a hotline replaced, kept so a seed's old number is recognised and corrected."""

    number: str
    name: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Hotline:
    """A line a person can call, text or chat with. ``discreet_label`` is safe on a lock screen;
    ``topics`` decide which situations it is offered for; ``region`` is None for national lines."""

    id: str
    name: str
    short_name: str
    discreet_label: str
    topics: tuple[str, ...]
    channels: tuple[Channel, ...]
    hours: Hours
    audience: str
    sources: tuple[Source, ...]
    last_verified: date
    languages: tuple[str, ...] = ()
    ages: AgeRange | None = None
    region: str | None = None
    reports_to_law_enforcement: bool = False
    replaces: tuple[Replaced, ...] = ()
    verify_before_launch: bool = False
    notes: str | None = None
    reporting_area: ReportingArea | None = None  # set on child-abuse reporting lines only
    not_a_reporting_line: bool = False  # says of itself that reports cannot be made to it
    programs: tuple[Program, ...] = ()

    def program(self, program_id: str) -> Program:
        for item in self.programs:
            if item.id == program_id:
                return item
        raise KeyError(f"hotline {self.id!r} has no program {program_id!r}")

    @property
    def offered_channels(self) -> tuple[Channel, ...]:
        """Every channel that may be given to a person. A hotline flagged
        ``verify_before_launch`` as a whole offers none: nothing of it is confirmed."""
        if self.verify_before_launch:
            return ()
        return tuple(c for c in self.channels if c.offered)

    def channels_of(self, kind: str) -> tuple[Channel, ...]:
        """Channels of one kind that may be shown (never the hidden or unverified ones)."""
        return tuple(c for c in self.offered_channels if c.kind == kind)

    def display(self, field_name: str) -> str | None:
        """A string for a reply template, e.g. ``{nhth.call}``; None when there is none.

        ``text_keyword`` is the word to text to the first text channel, ``text_keyword_es`` its
        Spanish word (the English one when there is no Spanish word); ``call_after_hours`` and
        the like are the call channel with that ``label``."""
        if field_name in ("name", "short_name", "discreet_label"):
            return str(getattr(self, field_name))
        texts = self.channels_of("text")
        if field_name == "text_keyword":
            return texts[0].keyword if texts else None
        if field_name == "text_keyword_es":
            return (texts[0].keyword_es or texts[0].keyword) if texts else None
        kind, _, label = field_name.partition("_")
        if label and kind in CHANNEL_KINDS:
            found = tuple(c for c in self.channels_of(kind) if c.label == label)
        else:
            found = self.channels_of(field_name) if field_name in CHANNEL_KINDS else ()
        return found[0].shown if found else None


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    state: str
    zip: str


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    """A place or local program a youth can go to or call. A confidential shelter has no address
    and only a city-level point; ``address_outdated`` marks an address known to be stale, which
    must not be used for directions (give the phone instead)."""

    id: str
    name: str
    short_name: str
    kind: str
    region: str
    hours: Hours
    services: tuple[str, ...]
    sources: tuple[Source, ...]
    last_verified: date
    address: Address | None = None
    location: Point | None = None
    location_precision: str = "none"
    confidential_location: bool = False
    address_outdated: bool = False
    phone: str | None = None
    hotline: str | None = None
    website: str | None = None
    email: str | None = None
    ages: AgeRange | None = None
    offer_to_minors: bool = True
    how_to_get_there: str | None = None
    verify_before_launch: bool = False
    notes: str | None = None


@dataclass(frozen=True)
class Region:
    """An area we have places for: a metro circle (center + radius) or a state polygon."""

    id: str
    name: str
    kind: str
    state: str
    center: Point | None = None
    radius_miles: float | None = None
    boundary: tuple[Point, ...] = ()
    fallback_hotlines: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    last_verified: date | None = None


@dataclass(frozen=True)
class GazetteerEntry:
    """A neighbourhood, landmark or served city people name instead of a ZIP. ``needs_cue``
    marks names that are also ordinary words or surnames ("sparks", "henderson"): they count only
    after "in", "near"... or as the whole message; an alias marked "alone" ("la", which is also
    a Spanish article) counts only as the whole message."""

    id: str
    label: str
    kind: str
    point: Point
    city: str
    state: str
    region: str | None
    aliases: tuple[tuple[str, str], ...]  # (lower-case alias, "any" | "cue" | "alone")
    needs_cue: bool = False
    not_followed_by: tuple[str, ...] = ()
    county: str | None = None  # when the city's own county is not the one meant


@dataclass(frozen=True, eq=False)
class LocationWords:
    """Words that steer location parsing; data, so they can be tuned without code changes."""

    not_places: frozenset[str]
    fillers: frozenset[str]
    cues: frozenset[str]
    questions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Catalog:
    """Everything in resources/data, loaded and cross-checked once."""

    hotlines: tuple[Hotline, ...]
    places: tuple[Place, ...]
    regions: tuple[Region, ...]
    gazetteer: tuple[GazetteerEntry, ...]
    service_tags: dict[str, str]
    topics: dict[str, str]
    national_fallback: tuple[str, ...]
    discreet_forbidden: tuple[str, ...]
    words: LocationWords
    # service_tags.yml `needs`: a need a person names ("basic_needs") -> the tags that meet it
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def hotline(self, hotline_id: str) -> Hotline:
        for item in self.hotlines:
            if item.id == hotline_id:
                return item
        raise KeyError(f"no hotline {hotline_id!r}")

    def place(self, place_id: str) -> Place:
        for item in self.places:
            if item.id == place_id:
                return item
        raise KeyError(f"no place {place_id!r}")

    def region(self, region_id: str) -> Region:
        for item in self.regions:
            if item.id == region_id:
                return item
        raise KeyError(f"no region {region_id!r}")

    def hotlines_for(self, topic: str) -> tuple[Hotline, ...]:
        """Hotlines for a topic in file order (the file is ordered by priority), keeping only
        those with at least one channel that may be shown."""
        if topic not in self.topics:
            raise KeyError(f"unknown topic {topic!r}")
        return tuple(h for h in self.hotlines if topic in h.topics and h.offered_channels)
