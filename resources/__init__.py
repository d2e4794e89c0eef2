"""Waypoint resources: hotlines, places, regions and location lookup, all from resources/data.

Both the Rasa action server (Python 3.10) and the gateway (Python 3.11) import this package, so
it depends only on the standard library, PyYAML, zipcodes, phonenumbers and rapidfuzz. Importing
it is cheap; the data and the location indexes are loaded on first use and cached.
"""

from resources.catalog import CatalogError, load_catalog
from resources.hours import describe as describe_hours
from resources.hours import is_open
from resources.locations import Resolution, entity_ruler_patterns, resolve_location
from resources.models import Catalog
from resources.nearby import NearbyAnswer, PlaceMatch, find_nearest_places, nearest_open_place
from resources.reporting import county_of, reporting_line_ids, reporting_lines

__all__ = [
    "Catalog",
    "CatalogError",
    "NearbyAnswer",
    "PlaceMatch",
    "Resolution",
    "county_of",
    "describe_hours",
    "entity_ruler_patterns",
    "find_nearest_places",
    "is_open",
    "load_catalog",
    "nearest_open_place",
    "reporting_line_ids",
    "reporting_lines",
    "resolve_location",
]
