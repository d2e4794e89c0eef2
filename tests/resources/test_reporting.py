"""Where to report child abuse: the county's own line when the county is known (from a place
name or a ZIP), the short Nevada list when it is not, California's county-by-county guidance
with Childhelp as a way to find the line (never as a reporting line). Every case in English and
Spanish; every number from hotlines.yml; every text fits one SMS with a short intro."""

from __future__ import annotations

import re

import pytest

from resources import load_catalog
from resources.present import formats
from resources.reporting import (
    EXAMPLES,
    county_of,
    every_reporting_text,
    reporting_hotline,
    reporting_line_ids,
    reporting_lines,
)
from resources.spelling import for_sms, is_gsm7
from resources.text_checks import typed_numbers
from resources.wording import check_text

INTRO = "Thank you for looking out for them. You don't need proof to make a report, and you can ask to stay anonymous."  # noqa: E501 (a ~110-character intro an answer may put first)
NUMBER = re.compile(r"\d[\d-]{2,}\d")

PLACES = [
    # (what a person types, county, state, the reporting line)
    ("las vegas", "Clark County", "NV", "cps_clark"),
    ("henderson", "Clark County", "NV", "cps_clark"),
    ("im by the strip", "Clark County", "NV", "cps_clark"),
    ("89110", "Clark County", "NV", "cps_clark"),
    ("clark county", "Clark County", "NV", "cps_clark"),
    ("reno", "Washoe County", "NV", "cps_washoe"),
    ("sparks", "Washoe County", "NV", "cps_washoe"),
    ("89502", "Washoe County", "NV", "cps_washoe"),
    ("washoe county", "Washoe County", "NV", "cps_washoe"),
    ("elko", "Elko County", "NV", "cps_nevada_rural"),
    ("elko county", "Elko County", "NV", "cps_nevada_rural"),
    ("89801", "Elko County", "NV", "cps_nevada_rural"),
    ("carson city", "Carson City", "NV", "cps_nevada_rural"),
    ("89706", "Carson City", "NV", "cps_nevada_rural"),
    ("estamos en pahrump", "Nye County", "NV", "cps_nevada_rural"),
    ("winnemucca", "Humboldt County", "NV", "cps_nevada_rural"),
    ("Mi sobrina vive conmigo en Los Ángeles", "Los Angeles County", "CA", "cps_los_angeles"),
    ("los angeles", "Los Angeles County", "CA", "cps_los_angeles"),
    ("vivo en sacramento", "Sacramento County", "CA", "cps_sacramento"),
    ("a donde llamo en san diego", "San Diego County", "CA", "cps_san_diego"),
    ("fresno", "Fresno County", "CA", None),
    ("93701", "Fresno County", "CA", None),
]


@pytest.mark.parametrize(("text", "county", "state", "line"), PLACES, ids=[p[0] for p in PLACES])
def test_a_place_name_or_zip_gives_its_county_and_line(
    text: str, county: str, state: str, line: str | None
) -> None:
    assert county_of(text) == (county, state)
    found = reporting_hotline(county, state)
    assert (found.id if found else None) == line
    ids = reporting_line_ids(county, state)
    if line:
        assert ids == (line, "emergency_911")
    else:
        assert ids == ("childhelp", "emergency_911")


def test_county_of_without_a_place() -> None:
    assert county_of("im somewhere in nevada") == (None, "NV")
    assert county_of("hello") == (None, None)
    assert county_of(None) == (None, None)


@pytest.mark.parametrize(
    ("county", "state", "line"),
    [
        ("Clark County", "NV", "cps_clark"), ("clark", None, "cps_clark"),
        ("CLARK COUNTY", None, "cps_clark"), ("Washoe", "NV", "cps_washoe"),
        ("washoe county", None, "cps_washoe"), ("Lyon County", "NV", "cps_nevada_rural"),
        ("Esmeralda", None, "cps_nevada_rural"), ("Carson City", None, "cps_nevada_rural"),
        ("Los Angeles County", "CA", "cps_los_angeles"), ("San Diego", None, "cps_san_diego"),
        ("Sacramento", "CA", "cps_sacramento"), ("Fresno County", "CA", None),
        ("Orange County", "CA", None), ("Clark County", "WA", None),
    ],
)  # fmt: skip
def test_county_names_in_any_form(county: str, state: str | None, line: str | None) -> None:
    found = reporting_hotline(county, state)
    assert (found.id if found else None) == line


@pytest.mark.parametrize("language", ["en", "es"])
def test_clark_washoe_rural_and_after_hours(language: str) -> None:
    clark = reporting_lines("Clark County", "NV", language)
    assert "702-399-0081" in clark and "833" not in clark
    washoe = reporting_lines("Washoe County", "NV", language)
    assert "833-900-7233" in washoe and "702-399-0081" not in washoe
    elko = reporting_lines("Elko County", "NV", language)
    assert "833-571-1041" in elko and "833-803-1183" in elko and "Elko" in elko
    assert "702-399-0081" not in elko and "833-900-7233" not in elko
    assert "Carson City" in reporting_lines("Carson City", "NV", language)
    for text in (clark, washoe, elko):
        assert text.endswith(("Call 911.", "llama al 911."))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("county", "state"), [(None, "NV"), (None, None), ("Nowhere", "NV")])
def test_an_unknown_county_gets_the_short_nevada_list(
    county: str | None, state: str | None, language: str
) -> None:
    text = reporting_lines(county, state, language)
    for number in ("702-399-0081", "833-900-7233", "833-571-1041", "833-803-1183"):
        assert number in text
    assert "Clark" in text and "Washoe" in text
    assert reporting_line_ids(county, state) == (
        "cps_clark", "cps_washoe", "cps_nevada_rural", "emergency_911")  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
def test_california_counties(language: str) -> None:
    la = reporting_lines("Los Angeles County", "CA", language)
    assert "1-800-540-4000" in la and "213-639-4500" in la
    assert "916-875-5437" in reporting_lines("Sacramento County", "CA", language)
    sd = reporting_lines("San Diego County", "CA", language)
    assert "858-560-2191" in sd and "1-800-344-6000" in sd
    fresno = reporting_lines("Fresno County", "CA", language)
    assert "1-800-422-4453" in fresno and "Fresno" in fresno and "California" in fresno
    assert not {"702-399-0081", "833-900-7233", "833-571-1041"} & set(NUMBER.findall(fresno))
    not_reporting = {"en": "does not take reports", "es": "no recibe reportes"}[language]
    assert not_reporting in fresno
    assert not_reporting in reporting_lines(None, "CA", language)
    assert not_reporting in reporting_lines(None, "TX", language)


def test_spanish_is_spanish_with_accents_and_sms_safe() -> None:
    la = reporting_lines("Los Angeles County", "CA", "es")
    assert "condado de Los Ángeles" in la and "llama al" in la
    assert "la del condado de Fresno" in reporting_lines("Fresno County", "CA", "es")
    assert "días festivos" in reporting_lines("Elko County", "NV", "es")
    for _, language, text in every_reporting_text():
        if language == "es":
            assert is_gsm7(for_sms(text)), text
            assert not re.search(r"\b(call|county|report)\b", text, re.IGNORECASE), text


def test_every_number_comes_from_the_hotline_data() -> None:
    catalog = load_catalog()
    for county, state in EXAMPLES:
        known = {
            n for h in reporting_line_ids(county, state)
            for c in catalog.hotline(h).channels_of("call") for n in (c.value, c.shown)
        }  # fmt: skip
        for language in ("en", "es"):
            text = reporting_lines(county, state, language)
            assert set(NUMBER.findall(text)) <= known, (text, known)


def test_each_text_fits_one_sms_with_a_short_intro() -> None:
    assert 100 <= len(INTRO) <= 120
    for text_id, _, text in every_reporting_text():
        assert len(text) <= 205, (text_id, len(text), text)
        assert len(INTRO + " " + text) <= 320, text_id


def test_every_text_passes_the_wording_checker() -> None:
    problems = []
    for text_id, language, text in every_reporting_text():
        for audience in ("caregiver", "youth"):
            found = check_text(text_id, text, audience=audience, language=language)
            problems += [
                str(p) for p in found if p.rule != "reading_grade" or audience == "caregiver"
            ]
    assert problems == []


def test_the_words_are_in_answer_formats_with_both_languages() -> None:
    block = formats()["reporting_lines"]
    assert set(block) == {"en", "es"}
    lines = {h.id for h in load_catalog().hotlines if h.reporting_area}
    assert lines <= set(block["en"]) and lines <= set(block["es"])
    assert set(block["en"]) | {"names"} == set(block["es"])
    assert not typed_numbers(str(block))  # numbers only through placeholders


def test_without_the_911_sentence() -> None:
    text = reporting_lines("Clark County", "NV", "en", danger=False)
    assert "911" not in text and reporting_line_ids("Clark County", "NV", danger=False) == (
        "cps_clark",)  # fmt: skip
