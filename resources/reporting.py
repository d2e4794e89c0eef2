"""Where to report child abuse: the county's own line when we know the county, a short list when
we do not.

The seeds say a report "must be made to the local child welfare agency"
(001_304a7ff96cf0bf3f.txt:L3182-3184) and print no number; in Nevada that agency depends on the
county (Clark, Washoe, or the state's DCFS for every other county, with its own after-hours
line), and in California every county runs its own hotline. Giving a Las Vegas number to a
grandmother in Elko sends her report to the wrong agency, so the line is picked by county, from
the `reporting_area` of the hotlines in hotlines.yml. The words are in answer_formats.yml
(`reporting_lines`), the numbers only in hotlines.yml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from resources.catalog import load_catalog
from resources.locations import Resolution, normalize, resolve_location
from resources.models import Hotline
from resources.present import formats
from resources.replies import numbers_in, render_template

PREFERRED_STATES = ("NV", "CA")  # the states we serve, in the order a bare county name is tried


@dataclass(frozen=True)
class _Choice:
    template: str  # key in reporting_lines.<language>: a hotline id, "unknown", "california"...
    county: str | None = None  # the official name ("Elko County", "Carson City")


def county_of(where: str | Resolution | None) -> tuple[str | None, str | None]:
    """(county, state) of a place name, a ZIP, a whole message or a Resolution:
    "reno" -> ("Washoe County", "NV"), "89801" -> ("Elko County", "NV"),
    "im somewhere in nevada" -> (None, "NV"), "hello" -> (None, None)."""
    if where is None:
        return None, None
    found = resolve_location(where) if isinstance(where, str) else where
    if found.status == "resolved":
        return found.county, found.state
    return None, found.state  # "somewhere in Nevada" still tells the state


@lru_cache(maxsize=8)
def _counties(state: str) -> dict[str, str]:
    """Normalised short name -> the ZIP database's name: "elko" -> "Elko County"."""
    out = {}
    for record in zipcodes.filter_by(state=state):  # type: ignore[no-untyped-call]
        name = str(record["county"] or "")
        if name:
            out[normalize(name.removesuffix(" County"))] = name
    return out


def _official(county: str | None, state: str | None) -> tuple[str | None, str | None]:
    """The county's official name and its state; a bare name ("washoe") is looked up in
    Nevada first, then California."""
    if not county or not county.strip():
        return None, state
    short = normalize(county).removesuffix(" county").strip()
    for candidate in (state,) if state else PREFERRED_STATES:
        if candidate and short in _counties(candidate):
            return _counties(candidate)[short], candidate
    return None, state  # not a county of that state (or a typo): treat it as unknown


def _short(county: str) -> str:
    return normalize(county.removesuffix(" County"))


def _choose(county: str | None, state: str | None) -> _Choice:
    official, state = _official(county, state)
    lines = [h for h in load_catalog().hotlines if h.reporting_area and h.channels_of("call")]
    in_state = [h for h in lines if h.reporting_area and h.reporting_area.state == state]
    if official:
        for hotline in in_state:
            area = hotline.reporting_area
            assert area is not None
            if _short(official) in {_short(c) for c in area.counties}:
                return _Choice(hotline.id, official)
        for hotline in in_state:
            if hotline.reporting_area and hotline.reporting_area.other_counties:
                return _Choice(hotline.id, official)
    if state in (None, "NV"):
        return _Choice("unknown")
    if state == "CA":
        return _Choice("california", official) if official else _Choice("california_unknown")
    return _Choice("other_state")


def _words(language: str) -> dict[str, object]:
    block = formats()["reporting_lines"]
    return dict(block.get(language) or block["en"])


def _template(choice: _Choice, language: str) -> str:
    words = _words(language)
    text = str(words[choice.template])
    if choice.county:
        names = dict(words.get("names") or {})  # type: ignore[call-overload]
        short = choice.county.removesuffix(" County")
        name = names.get(short, short)
        kind = "county" if choice.county.endswith(" County") else "independent_city"
        label = str(words[kind]).format(name=name)
        text = text.replace("{county}", label).replace("{county_name}", name)
    return text


def reporting_template(
    county: str | None, state: str | None, language: str = "en", *, danger: bool = True
) -> str:
    """The unrendered text (its placeholders say which hotlines it gives)."""
    text = _template(_choose(county, state), language)
    if danger:
        text += " " + str(_words(language)["danger"])
    return text


def reporting_lines(
    county: str | None, state: str | None, language: str = "en", *, danger: bool = True
) -> str:
    """Where to report child abuse, in `language` ("en" or "es"; others get English).

    `county` may be the ZIP database's name ("Washoe County"), a bare name ("washoe") or
    None; `state` a two-letter code or None. A known Nevada or California county gets its own
    line (Nevada's other counties: DCFS with its after-hours line); another California county
    gets the county-by-county guidance with Childhelp as a way to find the line (saying that
    Childhelp takes no reports); an unknown county gets the short Nevada list. With `danger`
    (the default) it ends with the 911 sentence. Spanish is written with its accents; an SMS
    drops á í ó ú when it is sent (resources/spelling.py)."""
    return render_template(reporting_template(county, state, language, danger=danger))


def reporting_line_ids(
    county: str | None, state: str | None, *, danger: bool = True
) -> tuple[str, ...]:
    """The hotline ids whose numbers `reporting_lines` gives, in order (for `Answer.numbers`,
    so "send me the number again" repeats exactly these)."""
    return numbers_in(reporting_template(county, state, "en", danger=danger))


def reporting_hotline(county: str | None, state: str | None) -> Hotline | None:
    """The one reporting line for a known county, or None (unknown county, or a California
    county without a line of its own here)."""
    choice = _choose(county, state)
    found = [h for h in load_catalog().hotlines if h.id == choice.template]
    return found[0] if found else None


# Every case reporting_lines distinguishes, with one county of each kind: the wording tests
# lint these, and an action can only send one of them.
EXAMPLES: tuple[tuple[str | None, str | None], ...] = (
    ("Clark County", "NV"), ("Washoe County", "NV"), ("Elko County", "NV"), ("Carson City", "NV"),
    ("Los Angeles County", "CA"), ("Sacramento County", "CA"), ("San Diego County", "CA"),
    ("Fresno County", "CA"), (None, "CA"), (None, "NV"), (None, None), (None, "AZ"),
)  # fmt: skip


def every_reporting_text() -> list[tuple[str, str, str]]:
    """(id, language, text) for every case, with and without the 911 sentence."""
    out = []
    for county, state in EXAMPLES:
        for language in ("en", "es"):
            for danger in (True, False):
                text = reporting_lines(county, state, language, danger=danger)
                out.append((f"reporting_lines[{county}/{state}/{danger}]", language, text))
    return out
