"""resolve_location on what people actually type: Nevada, California and other states, ZIPs,
typos, whole sentences and messages that name no place at all.

Each row: text, status, label, state, and the first option find_nearest_places gives for it on
Tuesday 11:00 Las Vegas time (a place id, "national" when only national lines fit, None when
the place is not resolved)."""

from __future__ import annotations

import statistics
import time

import pytest

from resources import entity_ruler_patterns, find_nearest_places, resolve_location
from resources.models import Catalog
from tests.resources.conftest import TUESDAY_11AM

V = "resolved"
A = "ambiguous"
N = "not_understood"
NAT = "national"

CASES = [
    # Las Vegas valley
    ("89119", V, "89119 (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("place to stay 89119", V, "89119 (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("89104", V, "89104 (Las Vegas, NV)", "NV", "tep_drop_in"),
    ("my zip is 89101", V, "89101 (Las Vegas, NV)", "NV", "tep_drop_in"),
    ("89030", V, "89030 (North Las Vegas, NV)", "NV", "tep_drop_in"),
    ("89123", V, "89123 (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("im by the strip", V, "the Las Vegas Strip", "NV", "nphy_drop_in"),
    ("las vegas", V, "Las Vegas, NV", "NV", "tep_drop_in"),
    ("Las Vegas, NV", V, "Las Vegas, NV", "NV", "tep_drop_in"),
    ("vegas", V, "Las Vegas, NV", "NV", "tep_drop_in"),
    ("las vagas", V, "Las Vegas, NV", "NV", "tep_drop_in"),
    ("wer can i sleap 2nite in vagas", V, "Las Vegas, NV", "NV", "tep_drop_in"),
    ("north las vegas", V, "North Las Vegas, NV", "NV", "tep_drop_in"),
    ("henderson nv", V, "Henderson, NV", "NV", "nphy_drop_in"),
    ("henderson", V, "Henderson, NV", "NV", "nphy_drop_in"),
    ("im in henderson", V, "Henderson, NV", "NV", "nphy_drop_in"),
    ("hendersen", V, "Henderson, NV", "NV", "nphy_drop_in"),
    ("summerlin", V, "Summerlin (Las Vegas, NV)", "NV", "tep_drop_in"),
    ("downtown las vegas", V, "Downtown Las Vegas", "NV", "tep_drop_in"),
    ("fremont street", V, "Downtown Las Vegas", "NV", "tep_drop_in"),
    ("unlv", V, "UNLV (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("near thomas and mack", V, "Thomas & Mack Center (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("boulder city", V, "Boulder City, NV", "NV", "nphy_drop_in"),
    ("spring valley", V, "Spring Valley (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("i live in paradise", V, "Paradise (Las Vegas, NV)", "NV", "nphy_drop_in"),
    ("sunrise manor", V, "Sunrise Manor (Las Vegas, NV)", "NV", "tep_drop_in"),
    (
        "i'm at the harry reid airport",
        V,
        "Harry Reid Airport (Las Vegas, NV)",
        "NV",
        "nphy_drop_in",
    ),
    # Reno / Sparks: Eddy House (18-24 only) is never offered when the age is unknown, so
    # RHYME's 24/7 line comes first
    ("89502", V, "89502 (Reno, NV)", "NV", "rhyme"),
    ("safe place near 89502", V, "89502 (Reno, NV)", "NV", "rhyme"),
    ("89512", V, "89512 (Reno, NV)", "NV", "rhyme"),
    ("89431", V, "89431 (Sparks, NV)", "NV", "rhyme"),
    ("reno", V, "Reno, NV", "NV", "rhyme"),
    ("reeno", V, "Reno, NV", "NV", "rhyme"),
    ("Reno, Nevada", V, "Reno, NV", "NV", "rhyme"),
    ("downtown reno", V, "Downtown Reno", "NV", "rhyme"),
    ("midtown reno", V, "Midtown Reno", "NV", "rhyme"),
    ("sparks", V, "Sparks, NV", "NV", "rhyme"),
    ("im in sparks nv", V, "Sparks, NV", "NV", "rhyme"),
    ("sun valley", V, "Sun Valley, NV", "NV", "rhyme"),
    ("unr", V, "University of Nevada, Reno", "NV", "rhyme"),
    ("i stay in stead", V, "Stead (Reno, NV)", "NV", "rhyme"),
    ("spanish springs", V, "Spanish Springs, NV", "NV", "rhyme"),
    # Nevada outside the served areas: national lines plus Nevada 2-1-1
    ("carson city", V, "Carson City, NV", "NV", NAT),
    ("elko nv", V, "Elko, NV", "NV", NAT),
    ("im in pahrump", V, "Pahrump, NV", "NV", NAT),
    ("89801", V, "89801 (Elko, NV)", "NV", NAT),
    ("winnemucca", V, "Winnemucca, NV", "NV", NAT),
    ("mesquite", V, "Mesquite, NV", "NV", NAT),
    ("laughlin", V, "Laughlin, NV", "NV", NAT),
    # California
    ("i need a shelter, im in fresno", V, "Fresno, CA", "CA", NAT),
    ("fresno", V, "Fresno, CA", "CA", NAT),
    ("sacramento", V, "Sacramento, CA", "CA", NAT),
    ("sacramento by florin rd", V, "Sacramento, CA", "CA", NAT),  # the city, then where in it
    ("sacremento", V, "Sacramento, CA", "CA", NAT),
    ("los angeles", V, "Los Angeles, CA", "CA", NAT),
    ("im in LA", V, "Los Angeles, CA", "CA", NAT),
    ("san diego ca", V, "San Diego, CA", "CA", NAT),
    ("oakland", V, "Oakland, CA", "CA", NAT),
    ("93701", V, "93701 (Fresno, CA)", "CA", NAT),
    ("south lake tahoe", V, "South Lake Tahoe, CA", "CA", NAT),
    ("bakersfield", V, "Bakersfield, CA", "CA", NAT),
    # Other states
    ("austin tx", V, "Austin, TX", "TX", NAT),
    ("new york", V, "New York, NY", "NY", NAT),
    ("10001", V, "10001 (New York, NY)", "NY", NAT),
    ("chicago il", V, "Chicago, IL", "IL", NAT),
    ("phoenix", V, "Phoenix, AZ", "AZ", NAT),
    ("portland or", V, "Portland, OR", "OR", NAT),
    ("las vegas nm", V, "Las Vegas, NM", "NM", NAT),
    ("springfield il", V, "Springfield, IL", "IL", NAT),
    ("springfield", A, None, None, None),
    ("texas", A, None, "TX", None),
    ("im somewhere in nevada", A, None, "NV", None),
    # Spanish
    ("estoy en fresno", V, "Fresno, CA", "CA", NAT),
    ("necesito un refugio, estoy en henderson", V, "Henderson, NV", "NV", "nphy_drop_in"),
    ("cerca de 89502", V, "89502 (Reno, NV)", "NV", "rhyme"),
    ("estoy en el strip", V, "the Las Vegas Strip", "NV", "nphy_drop_in"),
    ("estoy en la calle", N, None, None, None),
    ("estoy en peligro", N, None, None, None),
    # "la" is also Spanish "the": LA counts only as the whole message; in a sentence we ask
    ("i need a shelter in LA", N, None, None, None),
    # Not places
    ("help", N, None, None, None),
    ("vagas", V, "Las Vegas, NV", "NV", "tep_drop_in"),  # alone, or after "in", "near"...
    ("orange is my fav color", N, None, None, None),
    ("i was at a party by the lake", N, None, None, None),
    ("i need help", N, None, None, None),
    ("i want to go home", N, None, None, None),
    ("im not safe", N, None, None, None),
    ("i smoke weed", N, None, None, None),
    ("its likely", N, None, None, None),
    ("i work at the strip club", N, None, None, None),
    ("my friend austin said hi", N, None, None, None),
    ("sparks fly", N, None, None, None),
    ("start", N, None, None, None),
    ("i'm in foster care", N, None, None, None),
    ("99999", N, None, None, None),
    ("i'm 15", N, None, None, None),
    ("", N, None, None, None),
    ("where can i sleep tonight", N, None, None, None),
]


@pytest.mark.parametrize(("text", "status", "label", "state", "nearest"), CASES,
                         ids=[c[0] or "<empty>" for c in CASES])  # fmt: skip
def test_place_strings(
    text: str, status: str, label: str | None, state: str | None, nearest: str | None
) -> None:
    found = resolve_location(text)
    assert (found.status, found.label, found.state) == (status, label, state)
    if status != V:
        assert found.point is None and found.clarifying_question
        return
    assert found.point is not None and found.matched_text
    answer = find_nearest_places(found.point, state=found.state, when=TUESDAY_11AM)
    first = answer.places[0].place.id if answer.places else NAT
    assert first == nearest
    if first == NAT:
        assert [h.id for h in answer.national][:2] == ["txt_4_help", "runaway_safeline"]
        assert ("nevada_211" in [h.id for h in answer.national]) is (state == "NV")


def test_enough_cases() -> None:
    assert len(CASES) >= 60


def test_kinds_and_zip() -> None:
    assert resolve_location("89119").kind == "zip" and resolve_location("89119").zip == "89119"
    assert resolve_location("fresno").kind == "city"
    assert resolve_location("the strip").kind == "landmark"
    assert resolve_location("im in henderson").city == "Henderson"


def test_typo_match_says_so() -> None:
    found = resolve_location("las vagas")
    assert found.confidence < 1 and found.confirm_question == "Did you mean Las Vegas, NV?"
    assert (
        resolve_location("las vegas").confidence == 1
        and resolve_location("reno").confirm_question is None
    )


def test_questions_are_plain() -> None:
    assert resolve_location("hello").clarifying_question == (
        "Which city or ZIP code are you near? Just the city is fine."
    )
    spring = resolve_location("springfield")
    assert spring.options[:2] == ("Springfield, IL", "Springfield, MA")
    assert (
        spring.clarifying_question
        == 'Which Springfield do you mean? Add the state, like "Springfield, IL".'
    )
    assert resolve_location("texas").clarifying_question == (
        "Which city or town in Texas are you near? A ZIP code works too."
    )


def test_zip_wins_over_a_city_in_the_same_message() -> None:
    assert resolve_location("reno 89119").label == "89119 (Las Vegas, NV)"


def test_served_landmark_carries_its_region() -> None:
    assert resolve_location("downtown reno").region == "reno"
    assert resolve_location("fresno").region is None


def test_city_point_is_near_the_city() -> None:
    found = resolve_location("sacramento")
    assert found.point is not None
    assert abs(found.point.lat - 38.58) < 0.2 and abs(found.point.lon + 121.49) < 0.2


def test_entity_ruler_patterns(catalog: Catalog) -> None:
    patterns = entity_ruler_patterns()
    assert all(p["label"] == "location" for p in patterns)
    as_text = {
        " ".join(str(t.get("LOWER")) for t in p["pattern"] if isinstance(t, dict) and "LOWER" in t)
        for p in patterns
        if isinstance(p["pattern"], list)
    }
    assert {"the strip", "downtown reno", "fresno", "henderson", "north las vegas"} <= as_text
    assert "weed" not in as_text and "home" not in as_text  # ordinary words stay out
    assert {
        "pattern": [{"TEXT": {"REGEX": r"^\d{5}$"}}],
        "label": "location",
        "id": "zip",
    } in patterns
    with_state = [p for p in patterns if p.get("id") == "city:CA:fresno"]
    assert any({"LOWER": {"IN": ["ca", "california"]}} in p["pattern"] for p in with_state)  # type: ignore[operator]


def test_resolution_is_fast_after_warm_up() -> None:
    texts = [c[0] for c in CASES] * 20
    resolve_location("warm up")
    times = []
    for text in texts:
        start = time.perf_counter()
        resolve_location(text)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.002  # target is < 1 ms; slack for slow CI machines


@pytest.mark.parametrize(
    ("text", "county", "state", "kind"),
    [
        ("las vegas", "Clark County", "NV", "city"), ("henderson", "Clark County", "NV", "city"),
        ("reno", "Washoe County", "NV", "city"), ("sparks", "Washoe County", "NV", "city"),
        ("elko", "Elko County", "NV", "city"), ("carson city", "Carson City", "NV", "city"),
        ("pahrump", "Nye County", "NV", "city"), ("winnemucca", "Humboldt County", "NV", "city"),
        ("clark county", "Clark County", "NV", "county"),
        ("washoe county", "Washoe County", "NV", "county"),
        ("elko county", "Elko County", "NV", "county"),
        ("im in nye county", "Nye County", "NV", "county"),
        ("los angeles", "Los Angeles County", "CA", "city"),
        ("sacramento", "Sacramento County", "CA", "city"),
        ("san diego", "San Diego County", "CA", "city"),
        ("fresno", "Fresno County", "CA", "city"),
        ("fresno county", "Fresno County", "CA", "county"),
        ("89502", "Washoe County", "NV", "zip"), ("89706", "Carson City", "NV", "zip"),
        ("93701", "Fresno County", "CA", "zip"),
        ("the strip", "Clark County", "NV", "landmark"),
        ("stead", "Washoe County", "NV", "landmark"),
        ("Vivimos en Los Ángeles", "Los Angeles County", "CA", "city"),
    ],
)  # fmt: skip
def test_a_place_resolves_to_its_county(text: str, county: str, state: str, kind: str) -> None:
    found = resolve_location(text)
    assert (found.county, found.state, found.kind) == (county, state, kind)


def test_a_county_is_not_a_city() -> None:
    found = resolve_location("elko county")
    assert found.city is None and found.label == "Elko County, NV" and found.confidence == 1
    assert resolve_location("county").status == N  # the word alone is not a place
