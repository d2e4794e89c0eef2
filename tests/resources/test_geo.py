"""Distances in miles and the Nevada outline used to decide when to offer Nevada 2-1-1."""

from __future__ import annotations

import pytest

from resources.geo import distance_miles, in_polygon
from resources.models import Catalog, Point

LAS_VEGAS = Point(36.1699, -115.1398)
RENO = Point(39.5296, -119.8138)


def test_haversine_known_distances() -> None:
    assert distance_miles(LAS_VEGAS, RENO) == pytest.approx(345, abs=3)
    assert distance_miles(LAS_VEGAS, LAS_VEGAS) == 0
    # One degree of latitude is about 69 miles everywhere.
    assert distance_miles(Point(36, -115), Point(37, -115)) == pytest.approx(69.1, abs=0.2)
    assert distance_miles(RENO, LAS_VEGAS) == distance_miles(LAS_VEGAS, RENO)


@pytest.mark.parametrize(
    ("name", "point", "inside"),
    [
        ("Las Vegas", LAS_VEGAS, True),
        ("Reno", RENO, True),
        ("Elko", Point(40.8324, -115.7631), True),
        ("Laughlin", Point(35.1678, -114.5730), True),
        ("Stateline, Lake Tahoe", Point(38.9625, -119.9400), True),
        ("South Lake Tahoe, CA", Point(38.9399, -119.9772), False),
        ("Fresno, CA", Point(36.7378, -119.7871), False),
        ("Salt Lake City, UT", Point(40.7608, -111.8910), False),
        ("Kingman, AZ", Point(35.1894, -114.0530), False),
        ("St. George, UT", Point(37.0965, -113.5684), False),
    ],
)
def test_nevada_outline(catalog: Catalog, name: str, point: Point, inside: bool) -> None:
    assert in_polygon(point, catalog.region("nevada").boundary) is inside, name


def test_nevada_outline_matches_the_zip_database(catalog: Catalog) -> None:
    """Every ZIP centre in Nevada and its neighbours lands on the right side of the outline,
    except a couple right on the border."""
    import zipcodes

    boundary = catalog.region("nevada").boundary
    wrong = [
        r["zip_code"]
        for r in zipcodes.list_all()  # type: ignore[no-untyped-call]
        if r["state"] in ("NV", "CA", "AZ", "UT", "OR", "ID")
        and in_polygon(Point(float(r["lat"]), float(r["long"])), boundary) != (r["state"] == "NV")
    ]
    assert len(wrong) <= 2, wrong
