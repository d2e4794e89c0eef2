"""Turn what a person types ("im by the strip", "reeno", "place to stay 89119") into a point.

Offline and fast: every US ZIP and city comes from the ``zipcodes`` package, indexed once on first
use; the places we serve come from gazetteer.yml. Guessing wrong sends a youth to the wrong city,
so the parser is conservative: a bare town name counts only when it is the whole message, follows
a cue word ("in", "near"...), or is a multi-word name; ordinary words ("home", "weed") never
count; typos are forgiven only against names in Nevada and California and the served areas.
When unsure it asks a plain question instead of guessing.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml
import zipcodes
from rapidfuzz import fuzz, process

from resources.catalog import load_catalog
from resources.models import Catalog, GazetteerEntry, Point

DATA_DIR = Path(__file__).parent / "data"

FUZZY_CUTOFF = 85.0  # rapidfuzz ratio; "reeno"->"reno" scores 88.9, one wrong letter in 6 83.3
MAX_SPAN = 4
PREFERRED_STATES = ("NV", "CA")
STATES: dict[str, str] = dict(
    re.findall(
        r"([A-Z]{2}):([a-z ]+)",
        "AL:alabama,AK:alaska,AZ:arizona,AR:arkansas,CA:california,CO:colorado,CT:connecticut,"
        "DE:delaware,DC:district of columbia,FL:florida,GA:georgia,HI:hawaii,ID:idaho,"
        "IL:illinois,IN:indiana,IA:iowa,KS:kansas,KY:kentucky,LA:louisiana,ME:maine,"
        "MD:maryland,MA:massachusetts,MI:michigan,MN:minnesota,MS:mississippi,MO:missouri,"
        "MT:montana,NE:nebraska,NV:nevada,NH:new hampshire,NJ:new jersey,NM:new mexico,"
        "NY:new york,NC:north carolina,ND:north dakota,OH:ohio,OK:oklahoma,OR:oregon,"
        "PA:pennsylvania,RI:rhode island,SC:south carolina,SD:south dakota,TN:tennessee,"
        "TX:texas,UT:utah,VT:vermont,VA:virginia,WA:washington,WV:west virginia,WI:wisconsin,"
        "WY:wyoming,PR:puerto rico",
    )
)
_STATE_WORDS = {**{a.lower(): a for a in STATES}, **{n: a for a, n in STATES.items()}}
_STATE_WORDS.update({"cali": "CA", "calif": "CA", "nev": "NV", "tex": "TX"})
_PREFIXES = {"saint ": "st ", "fort ": "ft ", "mount ": "mt "}


@dataclass(frozen=True)
class Resolution:
    """Where a message places the person. ``status`` is "resolved", "ambiguous" or
    "not_understood"; the last two carry a plain ``clarifying_question``. A typo match is
    resolved with ``confidence`` < 1 and a ``confirm_question`` the bot may ask."""

    status: str
    point: Point | None = None
    label: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    kind: str | None = None
    matched_text: str | None = None
    clarifying_question: str | None = None
    confidence: float = 1.0
    confirm_question: str | None = None
    region: str | None = None
    options: tuple[str, ...] = field(default=())
    county: str | None = None  # as the ZIP database names it: "Washoe County", "Carson City"


class _City(NamedTuple):  # a tuple, not a dataclass: ~30,000 are built at start-up
    name: str
    state: str
    lat: float
    lon: float
    zips: int
    county: str | None = None  # the county most of its ZIPs are in
    kind: str = "city"  # or "county" ("elko county")


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lower case without accents ("Los Ángeles" -> "los angeles"), "&" as "and", apostrophes
    dropped ("i'm" -> "im"), other marks as spaces."""
    text = text.lower()
    if not text.isascii():  # the usual message is ASCII: skip the slow path
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


ZipIndex = dict[str, tuple[str, str, float, float, str]]  # zip -> (city, state, lat, lon, county)
CityIndex = dict[str, dict[str, _City]]  # normalised name -> state -> city (or county)


@lru_cache(maxsize=1)
def _us_index() -> tuple[ZipIndex, CityIndex, CityIndex]:
    """All active US ZIPs and city names (city centre = mean of its delivery ZIPs' centroids;
    PO-box-only towns fall back to their post offices)."""
    collecting = gc.isenabled()
    gc.disable()  # ~100,000 small objects: pausing the cycle collector halves the build time
    try:
        return _build_us_index()
    finally:
        if collecting:
            gc.enable()


Members = dict[tuple[str, str], list[tuple[bool, float, float, str]]]


def _centre(
    name: str, state: str, members: list[tuple[bool, float, float, str]], kind: str
) -> _City:
    """The mean of its delivery ZIPs' centres (PO-box ZIPs if it has no other) and the county
    most of its ZIPs are in."""
    if len(members) == 1:  # most towns: one ZIP, nothing to average or count
        _, lat, lon, county = members[0]
        return _City(name, state, round(lat, 4), round(lon, 4), 1, county or None, kind)
    chosen = [m for m in members if m[0]] or members
    lat = round(sum(m[1] for m in chosen) / len(chosen), 4)
    lon = round(sum(m[2] for m in chosen) / len(chosen), 4)
    counties = Counter(m[3] for m in members if m[3])
    top = counties.most_common(1)[0][0] if counties else None
    return _City(name, state, lat, lon, len(members), top, kind)


def _build_us_index() -> tuple[ZipIndex, CityIndex, CityIndex]:
    zips: ZipIndex = {}
    groups: Members = defaultdict(list)
    by_county: Members = defaultdict(list)
    for r in zipcodes.list_all():  # type: ignore[no-untyped-call]
        state = r["state"]
        if not r["active"] or state not in STATES or r["zip_code_type"] == "MILITARY":
            continue
        lat, lon, county = float(r["lat"]), float(r["long"]), r["county"] or ""
        zips[r["zip_code"]] = (r["city"], state, lat, lon, county)
        member = (r["zip_code_type"] == "STANDARD", lat, lon, county)
        groups[(r["city"], state)].append(member)
        if county.endswith(" County"):
            by_county[(county, state)].append(member)
    cities: CityIndex = defaultdict(dict)
    for (name, state), members in groups.items():
        city = _centre(name, state, members, "city")
        key = normalize(name)
        cities[key].setdefault(state, city)
        for long_form, short in _PREFIXES.items():
            if key.startswith(long_form):
                cities[short + key[len(long_form) :]].setdefault(state, city)
    counties: CityIndex = defaultdict(dict)
    for (name, state), members in by_county.items():
        counties[normalize(name)][state] = _centre(name, state, members, "county")
    return zips, dict(cities), dict(counties)


@dataclass
class _Index:
    catalog: Catalog
    gaz: dict[str, tuple[GazetteerEntry, str]]
    fuzzy: dict[str, tuple[GazetteerEntry | None, _City | None]]


@lru_cache(maxsize=4)
def _index(catalog: Catalog) -> _Index:
    gaz = {alias: (e, mode) for e in catalog.gazetteer for alias, mode in e.aliases}
    fuzzy: dict[str, tuple[GazetteerEntry | None, _City | None]] = {}
    for name, by_state in _us_index()[1].items():
        for state in reversed(PREFERRED_STATES):  # NV last, so NV wins a name both states have
            if state in by_state and len(name) >= 4 and name not in catalog.words.not_places:
                fuzzy[name] = (None, by_state[state])
    fuzzy.update({alias: (e, None) for alias, (e, _) in gaz.items() if len(alias) >= 4})
    return _Index(catalog, gaz, fuzzy)


def _state_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    for n in (3, 2, 1):
        state = _STATE_WORDS.get(" ".join(tokens[i : i + n]))
        if state and i + n <= len(tokens):
            return state, n
    return None


def _from_city(city: _City, span: str, confidence: float = 1.0) -> Resolution:
    label, point = f"{city.name}, {city.state}", Point(city.lat, city.lon)
    name = None if city.kind == "county" else city.name
    return Resolution("resolved", point, label, name, city.state, None, city.kind, span,
                      confidence=confidence, county=city.county)  # fmt: skip


def county_of_city(city: str, state: str) -> str | None:
    """The county most of a town's ZIPs are in ("Reno", "NV" -> "Washoe County")."""
    found = _us_index()[1].get(normalize(city), {}).get(state)
    return found.county if found else None


def _from_gaz(entry: GazetteerEntry, span: str, confidence: float = 1.0) -> Resolution:
    kind = {"city": "city", "county": "county"}.get(entry.kind, "landmark")
    return Resolution("resolved", entry.point, entry.label, entry.city, entry.state, None, kind,
                      span, confidence=confidence, region=entry.region,
                      county=entry.county or county_of_city(entry.city, entry.state))  # fmt: skip


def _pick_state(name: str, by_state: dict[str, _City], words: dict[str, str]) -> Resolution:
    """A bare city name: prefer Nevada, then California, unless a far bigger city elsewhere
    has that name; ask when two states are close (Springfield)."""
    ranked = sorted(by_state.values(), key=lambda c: -c.zips)
    preferred = next((by_state[s] for s in PREFERRED_STATES if s in by_state), None)
    top = ranked[0]
    if preferred and not (top.zips >= 20 and top.zips >= 10 * preferred.zips):
        return _from_city(preferred, name)
    if len(ranked) == 1 or top.zips >= 3 * ranked[1].zips:
        return _from_city(top, name)
    options = tuple(f"{c.name}, {c.state}" for c in ranked[:3])
    question = words["ambiguous"].format(name=top.name, example=options[0], state="")
    return Resolution(
        "ambiguous", None, None, top.name, None, None, "city", name, question, options=options
    )


class _Message:
    """One message's tokens and the context tests the rules need."""

    def __init__(self, text: str, idx: _Index) -> None:
        self.tokens = normalize(text).split()
        self.words = idx.catalog.words

    def cued(self, i: int) -> bool:
        j = i - 2 if i > 1 and self.tokens[i - 1] in ("the", "a") else i - 1
        return j >= 0 and self.tokens[j] in self.words.cues

    def whole(self, i: int, end: int) -> bool:
        return all(t in self.words.fillers for t in self.tokens[:i] + self.tokens[end:])

    def next_word(self, i: int) -> str | None:
        return self.tokens[i] if i < len(self.tokens) else None


Rank = tuple[int, int, int, int]


def _candidate(idx: _Index, msg: _Message, i: int, n: int) -> tuple[Rank, Resolution] | None:
    """Judge one span of n tokens at i; rank = (state given, length, gazetteer, earlier)."""
    span = " ".join(msg.tokens[i : i + n])
    after = _state_at(msg.tokens, i + n)
    alone = msg.whole(i, i + n + (after[1] if after else 0))
    context = alone or msg.cued(i)
    gaz = idx.gaz.get(span)
    if gaz:
        entry, mode = gaz
        state_ok = after is not None and after[0] == entry.state
        allowed = {"any": True, "cue": context, "alone": alone}[mode] or state_ok
        blocked = msg.next_word(i + n) in entry.not_followed_by
        if allowed and not blocked and (after is None or state_ok):
            return (int(state_ok), n, 1, -i), _from_gaz(entry, span)
    by_state = _us_index()[1].get(span) or _us_index()[2].get(span)
    if not by_state:
        return None
    if after and after[0] in by_state:
        return (1, n, 0, -i), _from_city(by_state[after[0]], span)
    if span in _STATE_WORDS:  # "new york" is the city only if that state has one by the name
        own = by_state.get(_STATE_WORDS[span])
        return ((0, n, 0, -i), _from_city(own, span)) if own and len(span) > 2 else None
    if span in msg.words.not_places or span in msg.words.fillers:
        return None
    if max(c.zips for c in by_state.values()) < 2 and not set(PREFERRED_STATES) & set(by_state):
        return None  # a one-ZIP hamlet outside NV/CA ("Start, LA") needs its state named
    major = any(c.zips >= (3 if c.state in PREFERRED_STATES else 10) for c in by_state.values())
    # a city the message starts with, then where in it: "sacramento by florin rd"
    leads = i == 0 and msg.next_word(i + n) in msg.words.cues
    if context or ((n >= 2 or leads) and major):
        return (0, n, 0, -i), _pick_state(span, by_state, msg.words.questions)
    return None


def _fuzzy(idx: _Index, msg: _Message) -> Resolution | None:
    """Forgive a typo in a name that stands where a place would: after a cue word or as the
    whole message. Only Nevada/California towns and served names are candidates."""
    tokens, words = msg.tokens, msg.words
    best: tuple[float, str, str] | None = None
    for i in range(len(tokens)):
        for n in range(1, min(MAX_SPAN, len(tokens) - i) + 1):
            span_tokens = tokens[i : i + n]
            span = " ".join(span_tokens)
            after = _state_at(tokens, i + n)
            if len(span) < 4 or span in words.not_places or span in _STATE_WORDS:
                continue
            if any(t in words.fillers or t.isdigit() for t in span_tokens):
                continue
            if not (msg.cued(i) or msg.whole(i, i + n + (after[1] if after else 0))):
                continue
            hit = process.extractOne(
                span, idx.fuzzy.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if hit and (best is None or hit[1] > best[0]):
                best = (float(hit[1]), str(hit[0]), span)
    if best is None:
        return None
    score, name, span = best
    entry, city = idx.fuzzy[name]
    found = _from_gaz(entry, span, score / 100) if entry else None
    if city:
        found = _from_city(city, span, score / 100)
    assert found is not None
    question = words.questions["confirm_fuzzy"].format(label=found.label)
    return Resolution(**{**found.__dict__, "confirm_question": question})


def resolve_location(text: str, catalog: Catalog | None = None) -> Resolution:
    """Find the place a message names (see the module docstring for the rules)."""
    catalog = catalog or load_catalog()
    idx, zips = _index(catalog), _us_index()[0]
    msg = _Message(text, idx)
    questions = catalog.words.questions
    for token in msg.tokens:
        if len(token) == 5 and token.isdigit() and token in zips:
            city, state, lat, lon, county = zips[token]
            label = f"{token} ({city}, {state})"
            return Resolution("resolved", Point(lat, lon), label, city, state, token, "zip", token,
                              county=county or county_of_city(city, state))  # fmt: skip
    best: tuple[Rank, Resolution] | None = None
    state_only: str | None = None
    for n in range(min(MAX_SPAN, len(msg.tokens)), 0, -1):
        for i in range(len(msg.tokens) - n + 1):
            span = " ".join(msg.tokens[i : i + n])
            if state_only is None and len(span) > 2 and span in _STATE_WORDS:
                state_only = _STATE_WORDS[span]
            found = _candidate(idx, msg, i, n)
            if found and (best is None or found[0] > best[0]):
                best = found
    if best:
        return best[1]
    fuzzy = _fuzzy(idx, msg)
    if fuzzy:
        return fuzzy
    if state_only:
        name = STATES[state_only].title()
        question = questions["state_only"].format(state=name)
        return Resolution("ambiguous", state=state_only, matched_text=name,
                          clarifying_question=question)  # fmt: skip
    return Resolution("not_understood", clarifying_question=questions["not_understood"])


def warm_up(catalog: Catalog | None = None) -> None:
    """Build the indexes now (about a second, once) instead of on the first message."""
    _index(catalog or load_catalog())


def _tokens_pattern(name: str) -> list[dict[str, object]]:
    return [{"LOWER": token} for token in name.split()]


def entity_ruler_patterns(catalog: Catalog | None = None) -> list[dict[str, object]]:
    """spaCy EntityRuler patterns (label ``location``) for the places this module knows:
    gazetteer aliases, Nevada and California towns (bare and with their state), and 5-digit
    ZIPs. Plain dicts: no spaCy import here, the NLP pipeline adds them."""
    catalog = catalog or load_catalog()
    raw = yaml.safe_load((DATA_DIR / "gazetteer.yml").read_text(encoding="utf-8"))
    not_places = set(catalog.words.not_places) | {str(w) for w in raw.get("not_entities") or []}
    patterns: list[dict[str, object]] = []
    for entry in catalog.gazetteer:
        for alias, mode in entry.aliases:
            if mode != "any":  # "la" is Los Angeles only alone: the ruler cannot tell
                continue
            patterns.append(
                {"label": "location", "pattern": _tokens_pattern(alias), "id": entry.id}
            )
    for name, by_state in sorted(_us_index()[1].items()):
        for state in (s for s in PREFERRED_STATES if s in by_state):
            pid = f"city:{state}:{name}"
            names = [state.lower(), STATES[state]]
            if name not in not_places and name not in catalog.words.fillers:
                patterns.append({"label": "location", "pattern": _tokens_pattern(name), "id": pid})
            with_state = [
                *_tokens_pattern(name),
                {"ORTH": ",", "OP": "?"},
                {"LOWER": {"IN": names}},
            ]
            patterns.append({"label": "location", "pattern": with_state, "id": pid})
    patterns.append(
        {"label": "location", "id": "zip", "pattern": [{"TEXT": {"REGEX": r"^\d{5}$"}}]}
    )
    return patterns
