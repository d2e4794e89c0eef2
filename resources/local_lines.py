"""A region's own line for a topic: after a sexual-assault crisis reply, a person who says
where they are ("estoy en las vegas, hay alguien aqui?") is given the 24/7 line of that area
(hotlines.yml: a hotline with a `region` and the topic), not only the national ones.

Why here: the region comes from the place the message names (resources/locations.py), or from
the metro area around a ZIP's point (resources/nearby.py), and which lines exist is data.
"""

from __future__ import annotations

from resources.catalog import load_catalog
from resources.locations import resolve_location
from resources.models import Hotline
from resources.nearby import find_nearest_places


def region_in(text: str) -> str | None:
    """The served metro area a message names ("henderson" -> "las_vegas"), or None."""
    found = resolve_location(text)
    if found.status != "resolved":
        return None
    if found.region:
        return found.region
    if found.point is None:
        return None
    return find_nearest_places(found.point, state=found.state, limit=1).region


def local_lines(topic: str, region: str | None) -> tuple[Hotline, ...]:
    """The lines of `region` for `topic`, in file order; none for no region."""
    if region is None:
        return ()
    return tuple(h for h in load_catalog().hotlines_for(topic) if h.region == region)


def local_line_reply(topic: str, text: str) -> str | None:
    """The reply id ("local_line_signs_of_hope") for the first line of the area this message
    names, or None when it names no area with a line of its own."""
    lines = local_lines(topic, region_in(text))
    return f"local_line_{lines[0].id}" if lines else None
