"""Distances and areas on the map, in miles because the people we answer think in miles."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

from resources.models import Point

EARTH_RADIUS_MILES = 3958.7613


def distance_miles(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance; good to well under 1% at city scale."""
    lat1, lat2 = radians(a.lat), radians(b.lat)
    dlat, dlon = lat2 - lat1, radians(b.lon - a.lon)
    h = sin(dlat / 2) ** 2 + cos(lat1) * cos(lat2) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * asin(min(1.0, sqrt(h)))


def in_polygon(point: Point, boundary: tuple[Point, ...]) -> bool:
    """Ray casting on lat/lon; fine for a state outline drawn with a handful of vertices."""
    inside = False
    count = len(boundary)
    for index in range(count):
        a, b = boundary[index], boundary[(index + 1) % count]
        if (a.lat > point.lat) != (b.lat > point.lat):
            cross = a.lon + (point.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat)
            if point.lon < cross:
                inside = not inside
    return inside
