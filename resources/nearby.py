"""Nearest real options for a point: local places first, national lines always.

The answer is never empty: when we have no place near the person (or none that fits their age
or need), the national lines still are there, with Nevada 2-1-1 added inside Nevada. A
confidential shelter is returned without an address, and an address known to be stale is never
used for directions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from math import inf

from resources.catalog import load_catalog
from resources.geo import distance_miles, in_polygon
from resources.hours import describe, is_open
from resources.models import Address, Catalog, Hotline, Place, Point, Region

ADULT_AGE = 18


@dataclass(frozen=True)
class PlaceMatch:
    """A place as offered to one person: how far, and whether it is open at their time."""

    place: Place
    distance_miles: float | None
    open_now: bool | None

    @property
    def distance_is_approximate(self) -> bool:
        """True when the place has only a city-level point (programs, confidential shelter)."""
        return self.place.location_precision in ("city", "none")

    @property
    def address(self) -> Address | None:
        """The address safe to show: never a confidential one, never one known to be stale."""
        if self.place.confidential_location or self.place.address_outdated:
            return None
        return self.place.address

    @property
    def how_to_get_there(self) -> str | None:
        return None if self.place.address_outdated else self.place.how_to_get_there

    @property
    def phone(self) -> str | None:
        return self.place.phone

    def hours_text(self, dash: str = "-", language: str = "en") -> str:
        return describe(self.place.hours, dash=dash, language=language)


@dataclass(frozen=True)
class NearbyAnswer:
    """``places`` sorted open-now first, then nearest; ``national`` in the order to offer them.
    ``region`` is the served metro area the point is in (None outside them); ``state_region``
    is the statewide region (e.g. "nevada") the point is in, if any."""

    places: list[PlaceMatch]
    region: str | None
    national: list[Hotline]
    state_region: str | None = None

    @property
    def is_local(self) -> bool:
        return bool(self.places)


def _contains(region: Region, point: Point, state: str | None) -> bool:
    if region.kind == "state":
        return state == region.state if state else in_polygon(point, region.boundary)
    assert region.center is not None and region.radius_miles is not None
    return distance_miles(point, region.center) <= region.radius_miles


def _fits_age(place: Place, age: int | None) -> bool:
    if age is None:
        # Most people who ask are young: only what is safe for a minor. An adults-only place
        # (Eddy House, 18-24) is left out even if its data forgot offer_to_minors: false.
        adults_only = place.ages is not None and (place.ages.min or 0) >= ADULT_AGE
        return place.offer_to_minors and not adults_only
    if place.ages is not None:
        return place.ages.includes(age)
    return age >= ADULT_AGE or place.offer_to_minors


def _metro_region(catalog: Catalog, point: Point, state: str | None) -> Region | None:
    metros = [r for r in catalog.regions if r.kind == "metro" and _contains(r, point, state)]
    metros = [r for r in metros if state is None or r.state == state]
    return min(metros, key=lambda r: distance_miles(point, r.center or point), default=None)


def find_nearest_places(
    point: Point,
    *,
    age: int | None = None,
    when: datetime | None = None,
    service: str | None = None,
    limit: int = 3,
    state: str | None = None,
    catalog: Catalog | None = None,
    need: str | None = None,
    open_now_only: bool = False,
) -> NearbyAnswer:
    """Places in the served region around ``point`` that fit the person, plus national lines.

    ``when`` defaults to now (each place's own time zone is used). ``state`` (e.g. from a
    Resolution) settles which state the point is in; without it the state outline decides.
    ``age`` None means unknown: places that do not serve minors are then left out.
    ``service`` keeps places with that tag; ``need`` (service_tags.yml `needs`, e.g.
    "basic_needs": food, shower, clothes, hygiene or phone charging) keeps places with any of
    its tags; ``open_now_only`` keeps only places open at ``when`` (unknown hours are not
    "open")."""
    catalog = catalog or load_catalog()
    if service is not None and service not in catalog.service_tags:
        raise ValueError(f"unknown service tag {service!r}")
    if need is not None and need not in catalog.needs:
        raise ValueError(f"unknown need {need!r} (service_tags.yml needs: {sorted(catalog.needs)})")
    wanted = set(catalog.needs[need]) if need else None
    moment = when or datetime.now(timezone.utc)
    metro = _metro_region(catalog, point, state)
    matches = []
    for place in catalog.places:
        if metro is None or place.region != metro.id or not _fits_age(place, age):
            continue
        if service is not None and service not in place.services:
            continue
        if wanted is not None and not wanted & set(place.services):
            continue
        open_now = is_open(place.hours, moment)
        if open_now_only and open_now is not True:
            continue
        distance = distance_miles(point, place.location) if place.location else None
        matches.append(PlaceMatch(place, distance, open_now))
    open_rank = {True: 0, None: 1, False: 2}
    matches.sort(key=lambda m: (open_rank[m.open_now], inf if m.distance_miles is None else
                                m.distance_miles))  # fmt: skip
    states = [r for r in catalog.regions if r.kind == "state" and _contains(r, point, state)]
    national_ids = [*catalog.national_fallback]
    for region in ([metro] if metro else []) + states:
        national_ids += [i for i in region.fallback_hotlines if i not in national_ids]
    offered = [catalog.hotline(i) for i in national_ids]
    return NearbyAnswer(
        places=matches[: max(limit, 0)],
        region=metro.id if metro else None,
        national=[h for h in offered if h.offered_channels],  # never an unverified line
        state_region=states[0].id if states else None,
    )


def nearest_open_place(
    point: Point,
    *,
    age: int | None = None,
    when: datetime | None = None,
    need: str | None = None,
    state: str | None = None,
    walk_in: bool = True,
    catalog: Catalog | None = None,
) -> PlaceMatch | None:
    """The nearest place open right now that fits the person, or None: for a youth with no
    money or no phone battery, who needs somewhere to go now rather than a list. With
    ``walk_in`` (the default) only places with a current address qualify (a phone-only
    program or a confidential shelter is no use to someone whose phone is dead)."""
    answer = find_nearest_places(point, age=age, when=when, need=need, state=state,
                                 open_now_only=True, limit=50, catalog=catalog)  # fmt: skip
    found = [m for m in answer.places if not walk_in or m.address is not None]
    return min(found, key=lambda m: inf if m.distance_miles is None else m.distance_miles,
               default=None)  # fmt: skip
