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
        return place.offer_to_minors  # most people who ask are young: minors-safe by default
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
) -> NearbyAnswer:
    """Places in the served region around ``point`` that fit the person, plus national lines.

    ``when`` defaults to now (each place's own time zone is used). ``state`` (e.g. from a
    Resolution) settles which state the point is in; without it the state outline decides.
    ``age`` None means unknown: places that do not serve minors are then left out."""
    catalog = catalog or load_catalog()
    if service is not None and service not in catalog.service_tags:
        raise ValueError(f"unknown service tag {service!r}")
    moment = when or datetime.now(timezone.utc)
    metro = _metro_region(catalog, point, state)
    matches = []
    for place in catalog.places:
        if metro is None or place.region != metro.id or not _fits_age(place, age):
            continue
        if service is not None and service not in place.services:
            continue
        distance = distance_miles(point, place.location) if place.location else None
        matches.append(PlaceMatch(place, distance, is_open(place.hours, moment)))
    open_rank = {True: 0, None: 1, False: 2}
    matches.sort(key=lambda m: (open_rank[m.open_now], inf if m.distance_miles is None else
                                m.distance_miles))  # fmt: skip
    states = [r for r in catalog.regions if r.kind == "state" and _contains(r, point, state)]
    national_ids = [*catalog.national_fallback]
    for region in ([metro] if metro else []) + states:
        national_ids += [i for i in region.fallback_hotlines if i not in national_ids]
    return NearbyAnswer(
        places=matches[: max(limit, 0)],
        region=metro.id if metro else None,
        national=[catalog.hotline(i) for i in national_ids],
        state_region=states[0].id if states else None,
    )
