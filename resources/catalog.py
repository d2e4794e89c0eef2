"""Load resources/data/*.yml into the typed records of models.py.

Loading is strict about structure (unknown keys, missing sources, bad hours, unknown tags,
dangling references, duplicate ids) because a typo in a resource file must never silently hide
a hotline from a youth. Checks that need outside data (phone numbering plans, the ZIP database)
live in validate.py so that loading stays fast at import time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml

from resources import models as m
from resources.hours import HoursError, parse_hours

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_REF = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt:L\d+(-\d+)?$")
T = TypeVar("T")


class CatalogError(ValueError):
    """A structural problem in one entry of one data file."""

    def __init__(self, file: str, entry_id: str, reason: str) -> None:
        super().__init__(f"{file}: {entry_id}: {reason}")
        self.file, self.entry_id, self.reason = file, entry_id, reason


class _Entry:
    """One YAML mapping plus where it came from, so every error names file and entry."""

    def __init__(
        self, file: str, raw: Any, allowed: set[str], index: int = 0, of: str = ""
    ) -> None:
        self.file, self.id = file, of or f"#{index + 1}"
        if not isinstance(raw, Mapping):
            self.fail("entry is not a mapping")
        self.raw: Mapping[str, Any] = raw
        self.id = of or str(raw.get("id") or self.id)
        unknown = set(map(str, raw)) - allowed
        if unknown:
            self.fail(f"unknown field(s): {', '.join(sorted(unknown))}")

    def fail(self, reason: str) -> NoReturn:
        raise CatalogError(self.file, self.id, reason)

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.fail(f"missing {key}") if required else None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.fail(f"{key} must be text")
        return str(value).strip()

    def req(self, key: str) -> str:
        value = self.text(key)
        assert value is not None
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{key} must be true or false")
        return bool(value)

    def words(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{key} must be a list of words")
        return tuple(v.strip() for v in value)

    def sources(self, key: str = "source") -> tuple[m.Source, ...]:
        value = self.raw.get(key)
        if not value:
            self.fail("missing source")
        if not isinstance(value, list):
            self.fail("source must be a list")
        out = []
        for item in value:
            if not isinstance(item, Mapping) or len(item) != 1:
                self.fail("each source is one {seed|official|project: text} mapping")
            kind, ref = next(iter(item.items()))
            if kind not in m.SOURCE_KINDS or not isinstance(ref, str) or not ref.strip():
                self.fail(f"source kind must be one of {', '.join(m.SOURCE_KINDS)} with text")
            if kind == "seed" and not SEED_REF.match(ref):
                self.fail(f"seed source {ref!r} is not like 001_<hash>.txt:L11113-11117")
            out.append(m.Source(kind, ref))
        return tuple(out)

    def verified(self) -> date:
        value = self.raw.get("last_verified")
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return self.fail("missing or malformed last_verified (YYYY-MM-DD)")

    def point(self, key: str, required: bool = True) -> m.Point | None:
        value = self.raw.get(key)
        if value is None:
            return self.fail(f"missing {key}") if required else None
        try:
            point = m.Point(float(value["lat"]), float(value["lon"]))
        except (TypeError, KeyError, ValueError):
            return self.fail(f"{key} must be {{lat: number, lon: number}}")
        if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
            self.fail(f"{key} is not a real latitude/longitude")
        return point

    def hours(self) -> m.Hours:
        try:
            return parse_hours(self.raw.get("hours"))
        except HoursError as exc:
            return self.fail(f"hours: {exc}")

    def ages(self) -> m.AgeRange | None:
        value = self.raw.get("ages")
        if value is None:
            return None
        sub = _Entry(self.file, value, {"min", "max", "as_printed"}, of=self.id)
        bounds = [value.get("min"), value.get("max")]
        if any(b is not None and (not isinstance(b, int) or isinstance(b, bool)) for b in bounds):
            self.fail("ages min/max must be whole numbers")
        if None not in bounds and bounds[0] > bounds[1]:
            self.fail("ages min is above max")
        return m.AgeRange(bounds[0], bounds[1], sub.text("as_printed", required=False))

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.raw.get(key, default)
        if value not in options:
            self.fail(f"{key} must be one of {', '.join(options)}, not {value!r}")
        return str(value)


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(path.name, "-", "file is missing") from None
    except yaml.YAMLError as exc:
        raise CatalogError(path.name, "-", f"not valid YAML: {exc}") from None


def _section(file: str, doc: Any, key: str, kind: type) -> Any:
    value = doc.get(key) if isinstance(doc, Mapping) else None
    if not isinstance(value, kind):
        raise CatalogError(file, "-", f"top-level {key!r} must be a {kind.__name__}")
    return value


def _parse_all(
    file: str, items: list[Any], parse: Callable[[Any, int], T], problems: list[CatalogError]
) -> list[T]:
    """Parse every entry, collecting problems, and reject duplicate ids."""
    out: list[T] = []
    seen: set[str] = set()
    for index, raw in enumerate(items):
        try:
            item = parse(raw, index)
        except CatalogError as exc:
            problems.append(exc)
            continue
        item_id = str(item.id)  # type: ignore[attr-defined]
        if item_id in seen:
            problems.append(CatalogError(file, item_id, "duplicate id"))
            continue
        seen.add(item_id)
        out.append(item)
    return out


FILES = ("service_tags.yml", "hotlines.yml", "places.yml", "regions.yml", "gazetteer.yml")
_SETTINGS_FILES = ("hotlines.yml", "regions.yml", "gazetteer.yml")  # settings beside entries
_RENAMED = {"sources": "source"}


def _keys(cls: type, *extra: str) -> set[str]:
    """YAML keys an entry may have: its dataclass fields (``sources`` is spelled ``source``)."""
    return {_RENAMED.get(f.name, f.name) for f in fields(cls)} | set(extra)


_VALUE_KEY = {"call": "number", "text": "number", "tty": "number", "email": "address"}


def _channel(file: str, owner: str, raw: Any) -> m.Channel:
    e = _Entry(file, raw, _keys(m.Channel, "number", "url", "address") - {"value"}, of=owner)
    kind = e.choice("kind", m.CHANNEL_KINDS)
    value = e.req(_VALUE_KEY.get(kind, "url"))
    sources = e.sources() if raw.get("source") else ()
    label = e.text("label", False)
    if label is not None and not re.fullmatch(r"[a-z][a-z_]*", label):
        e.fail(f"channel label {label!r} must be lower-case words joined by _")
    return m.Channel(
        kind, value, e.text("display", False), e.text("keyword", False),
        e.text("instructions", False), e.text("hours_note", False), e.flag("present", True),
        e.flag("verify_before_launch"), e.text("note", False), sources,
        instructions_es=e.text("instructions_es", False), keyword_es=e.text("keyword_es", False),
        label=label,
    )  # fmt: skip


def _area(e: _Entry) -> m.ReportingArea | None:
    raw = e.raw.get("reporting_area")
    if raw is None:
        return None
    a = _Entry(e.file, raw, {"state", "counties", "other_counties"}, of=e.id)
    counties, other = a.words("counties"), a.flag("other_counties")
    if bool(counties) == other:
        a.fail("reporting_area needs either counties or other_counties: true")
    return m.ReportingArea(a.req("state"), counties, other)


def _hotline(raw: Any, index: int) -> m.Hotline:
    e = _Entry("hotlines.yml", raw, _keys(m.Hotline), index)
    channels = raw.get("channels")
    if not isinstance(channels, list) or not channels:
        e.fail("needs a list of channels")
    replaces = []
    for item in raw.get("replaces") or []:
        r = _Entry("hotlines.yml", item, {"number", "name", "source"}, of=e.id)
        replaces.append(m.Replaced(r.req("number"), r.req("name"), r.sources()))
    programs = []
    for item in raw.get("programs") or []:
        p = _Entry("hotlines.yml", item, _keys(m.Program), of=e.id)
        programs.append(m.Program(p.req("id"), p.req("name"), p.req("summary"), p.sources(),
                                  p.ages()))  # fmt: skip
    return m.Hotline(
        id=e.req("id"), name=e.req("name"), short_name=e.req("short_name"),
        discreet_label=e.req("discreet_label"), topics=e.words("topics"),
        channels=tuple(_channel(e.file, e.id, c) for c in channels), hours=e.hours(),
        audience=e.req("audience"), sources=e.sources(), last_verified=e.verified(),
        languages=e.words("languages"), ages=e.ages(), region=e.text("region", False),
        reports_to_law_enforcement=e.flag("reports_to_law_enforcement"),
        replaces=tuple(replaces), verify_before_launch=e.flag("verify_before_launch"),
        notes=e.text("notes", False), reporting_area=_area(e),
        not_a_reporting_line=e.flag("not_a_reporting_line"), programs=tuple(programs),
    )  # fmt: skip


def _place(raw: Any, index: int) -> m.Place:
    e = _Entry("places.yml", raw, _keys(m.Place), index)
    address = None
    if raw.get("address") is not None:
        a = _Entry(e.file, raw["address"], {"street", "city", "state", "zip"}, of=e.id)
        address = m.Address(a.req("street"), a.req("city"), a.req("state"), a.req("zip"))
    confidential = e.flag("confidential_location")
    if confidential and address is not None:
        e.fail("a confidential location must not have an address")
    precision = e.choice("location_precision", m.LOCATION_PRECISIONS, "none")
    location = e.point("location", required=precision != "none")
    if confidential and precision not in ("city", "none"):
        e.fail("a confidential location may only have a city-level point")
    return m.Place(
        id=e.req("id"), name=e.req("name"), short_name=e.req("short_name"),
        kind=e.choice("kind", m.PLACE_KINDS), region=e.req("region"), hours=e.hours(),
        services=e.words("services"), sources=e.sources(), last_verified=e.verified(),
        address=address, location=location, location_precision=precision,
        confidential_location=confidential, address_outdated=e.flag("address_outdated"),
        phone=e.text("phone", False), hotline=e.text("hotline", False),
        website=e.text("website", False), email=e.text("email", False), ages=e.ages(),
        offer_to_minors=e.flag("offer_to_minors", True),
        how_to_get_there=e.text("how_to_get_there", False),
        verify_before_launch=e.flag("verify_before_launch"), notes=e.text("notes", False),
    )  # fmt: skip


def _vertex(e: _Entry, raw: Any) -> m.Point:
    vertex = _Entry(e.file, {"boundary": raw}, {"boundary"}, of=e.id).point("boundary")
    assert vertex is not None
    return vertex


def _region(raw: Any, index: int) -> m.Region:
    e = _Entry("regions.yml", raw, _keys(m.Region), index)
    kind = e.choice("kind", ("metro", "state"))
    boundary = tuple(_vertex(e, v) for v in raw.get("boundary") or [])
    radius = raw.get("radius_miles")
    if kind == "metro" and (not isinstance(radius, (int, float)) or radius <= 0):
        e.fail("a metro region needs a positive radius_miles")
    if kind == "state" and len(boundary) < 3:
        e.fail("a state region needs a boundary of at least 3 points")
    return m.Region(
        e.req("id"), e.req("name"), kind, e.req("state"), e.point("center", kind == "metro"),
        float(radius) if radius else None, boundary, e.words("fallback_hotlines"),
        e.sources(), e.verified(),
    )  # fmt: skip


def _gazetteer(raw: Any, index: int) -> m.GazetteerEntry:
    e = _Entry("gazetteer.yml", raw, _keys(m.GazetteerEntry), index)
    aliases = []
    for alias in raw.get("aliases") or []:
        if isinstance(alias, Mapping):
            a = _Entry(e.file, alias, {"alias", "needs_cue", "alone_only"}, of=e.id)
            mode = "alone" if a.flag("alone_only") else "cue" if a.flag("needs_cue") else "any"
            aliases.append((a.req("alias").lower(), mode))
        elif isinstance(alias, str) and alias.strip():
            aliases.append((alias.strip().lower(), "cue" if e.flag("needs_cue") else "any"))
        else:
            e.fail("each alias is text or {alias, needs_cue, alone_only}")
    if not aliases:
        e.fail("needs at least one alias")
    return m.GazetteerEntry(
        e.req("id"), e.req("label"), e.choice("kind", m.GAZETTEER_KINDS),
        e.point("point") or m.Point(0, 0), e.req("city"), e.req("state"), e.text("region", False),
        tuple(aliases), e.flag("needs_cue"), e.words("not_followed_by"), e.text("county", False),
    )  # fmt: skip


def _tags(doc: Any) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, ...]]]:
    out = []
    for key in ("services", "topics"):
        section = _section("service_tags.yml", doc, key, dict)
        if not all(isinstance(v, str) and v.strip() for v in section.values()):
            raise CatalogError("service_tags.yml", key, "every tag needs a one-line meaning")
        out.append({str(k): str(v) for k, v in section.items()})
    needs: dict[str, tuple[str, ...]] = {}
    for need, tags in (doc.get("needs") or {}).items():
        unknown = [t for t in tags or [] if t not in out[0]] if isinstance(tags, list) else [tags]
        if unknown or not tags:
            raise CatalogError("service_tags.yml", f"needs.{need}", f"unknown tags {unknown}")
        needs[str(need)] = tuple(map(str, tags))
    return out[0], out[1], needs


def _words(doc: Any) -> m.LocationWords:
    words = _section("gazetteer.yml", doc, "words", dict)
    questions = _section("gazetteer.yml", doc, "questions", dict)
    sets = {}
    for key in ("cues", "fillers", "not_places"):
        value = words.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise CatalogError("gazetteer.yml", f"words.{key}", "must be a list of words")
        sets[key] = frozenset(w.lower() for w in value)
    for key in ("not_understood", "ambiguous", "state_only", "confirm_fuzzy"):
        if not isinstance(questions.get(key), str):
            raise CatalogError("gazetteer.yml", f"questions.{key}", "missing question text")
    texts = {str(k): str(v) for k, v in questions.items()}
    return m.LocationWords(sets["not_places"], sets["fillers"], sets["cues"], texts)


def _cross_references(c: m.Catalog) -> list[CatalogError]:
    """Every id a file names must exist, and every tag/topic must be a known one."""
    regions, hotlines = {r.id for r in c.regions}, {h.id for h in c.hotlines}
    hot, places, reg, gaz = "hotlines.yml", "places.yml", "regions.yml", "gazetteer.yml"
    checks: list[tuple[str, str, str, str, Any]] = [
        *((hot, h.id, "topic", t, c.topics) for h in c.hotlines for t in h.topics),
        *((hot, h.id, "region", h.region, regions) for h in c.hotlines if h.region),
        *((places, p.id, "service tag", t, c.service_tags) for p in c.places for t in p.services),
        *((places, p.id, "region", p.region, regions) for p in c.places),
        *((places, p.id, "hotline", p.hotline, hotlines) for p in c.places if p.hotline),
        *((reg, r.id, "hotline", x, hotlines) for r in c.regions for x in r.fallback_hotlines),
        *((reg, "national_fallback", "hotline", x, hotlines) for x in c.national_fallback),
        *((gaz, g.id, "region", g.region, regions) for g in c.gazetteer if g.region),
    ]
    return [
        CatalogError(f, i, f"unknown {what} {v!r}") for f, i, what, v, ok in checks if v not in ok
    ]


def read_catalog(data_dir: Path, problems: list[CatalogError]) -> m.Catalog | None:
    """Parse everything, appending every structural problem; None if a file is unusable."""
    try:
        docs = {name: _read(Path(data_dir) / name) for name in FILES}
        services, topics, needs = _tags(docs["service_tags.yml"])
        hot_doc, region_doc, gaz_doc = (docs[f] for f in _SETTINGS_FILES)
        hot_items = _section("hotlines.yml", hot_doc, "hotlines", list)
        place_items = _section("places.yml", docs["places.yml"], "places", list)
        region_items = _section("regions.yml", region_doc, "regions", list)
        gaz_items = _section("gazetteer.yml", gaz_doc, "entries", list)
        words = _words(gaz_doc)
    except CatalogError as exc:
        problems.append(exc)
        return None
    catalog = m.Catalog(
        hotlines=tuple(_parse_all("hotlines.yml", hot_items, _hotline, problems)),
        places=tuple(_parse_all("places.yml", place_items, _place, problems)),
        regions=tuple(_parse_all("regions.yml", region_items, _region, problems)),
        gazetteer=tuple(_parse_all("gazetteer.yml", gaz_items, _gazetteer, problems)),
        service_tags=services,
        topics=topics,
        national_fallback=tuple(map(str, region_doc.get("national_fallback") or ())),
        discreet_forbidden=tuple(map(str, hot_doc.get("discreet_label_forbidden") or ())),
        words=words,
        needs=needs,
    )
    problems.extend(_cross_references(catalog))
    return catalog


def _strict(data_dir: Path) -> m.Catalog:
    problems: list[CatalogError] = []
    catalog = read_catalog(data_dir, problems)
    if problems:
        raise problems[0]
    assert catalog is not None
    return catalog


@lru_cache(maxsize=1)
def _default_catalog() -> m.Catalog:
    return _strict(DEFAULT_DATA_DIR)


def load_catalog(data_dir: Path | None = None) -> m.Catalog:
    """The catalog of a data folder (default: the shipped one, loaded once and cached).

    Raises CatalogError for the first structural problem; ``python -m resources check`` lists
    them all."""
    if data_dir is None or Path(data_dir).resolve() == DEFAULT_DATA_DIR:
        return _default_catalog()
    return _strict(Path(data_dir))
