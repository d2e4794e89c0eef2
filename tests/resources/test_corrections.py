"""The corrections of /work/shared/RESOURCE_CHECK.md (2026-12-01) are in the data: the new lines
with their exact numbers and sources, the outdated entries fixed, and the seed's old numbers
kept as replaced, so a reviewer can see what changed and why."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from resources.hours import is_open
from resources.models import Catalog, Hotline
from resources.validate import phone_problem

CHECKED = date(2026, 12, 1)
EASTERN = ZoneInfo("America/New_York")

NEW_LINES = [
    ("trevor_project", "call", "1-866-488-7386"),
    ("trevor_project", "text", "678678"),
    ("rainn", "call", "800-656-HOPE"),
    ("signs_of_hope", "call", "702-366-1640"),
    ("nv_cap", "call", "888-432-6189"),
    ("take_it_down", "web", "https://takeitdown.ncmec.org/"),
    ("childhelp", "call", "1-800-422-4453"),
    ("cps_clark", "call", "702-399-0081"),
    ("cps_washoe", "call", "833-900-SAFE"),
    ("cps_nevada_rural", "call", "833-571-1041"),
    ("cps_nevada_rural", "call_after_hours", "833-803-1183"),
    ("cps_los_angeles", "call", "1-800-540-4000"),
    ("cps_los_angeles", "call_outside_state", "213-639-4500"),
    ("cps_sacramento", "call", "916-875-5437"),
    ("cps_san_diego", "call", "858-560-2191"),
    ("cps_san_diego", "call_in_state", "1-800-344-6000"),
]


def sources(hotline: Hotline) -> str:
    return " ".join(s.ref for s in (*hotline.sources, *(x for c in hotline.channels
                                                       for x in c.sources)))  # fmt: skip


@pytest.mark.parametrize(("hotline_id", "field", "shown"), NEW_LINES)
def test_new_lines_have_their_checked_numbers(
    catalog: Catalog, hotline_id: str, field: str, shown: str
) -> None:
    hotline = catalog.hotline(hotline_id)
    assert hotline.display(field) == shown
    assert hotline.last_verified == CHECKED and not hotline.verify_before_launch
    assert "RESOURCE_CHECK.md on 2026-12-01" in sources(hotline)
    assert "stored cop" in sources(hotline)  # the check read stored copies, not live pages


@pytest.mark.parametrize(
    ("hotline_id", "cited"),
    [
        ("cps_clark", ["dcfs.nv.gov/Tips/CA/ChildAbuse/", "flyer tag 062323",
                       "files.clarkcountynv.gov/residents/family_services/child_protection.php"]),
        ("cps_washoe", ["dcfs.nv.gov/Tips/CA/ChildAbuse/", "thisisreno.com (2021-04)"]),
        ("cps_nevada_rural", ["dcfs.nv.gov/Tips/CA/ChildAbuse/", "cssnv.org/child-abuse"]),
        ("cps_los_angeles", ["policy.dcfs.lacounty.gov (rev. 2023-02-22)", "CDSS"]),
        ("childhelp", ["childhelphotline.org/how-it-works"]),
        ("rainn", ["rainn.org/get-help/national-sexual-assault-hotline"]),
        ("nv_cap", ["dcfs.nv.gov/Programs/CAP", "2017-10-09"]),
        ("signs_of_hope", ["reviewjournal.com (undated)"]),
        ("trevor_project", ["third-party pages, undated", "thetrevorproject.org"]),
        ("take_it_down", ["takeitdown.ncmec.org"]),
    ],
)  # fmt: skip
def test_new_lines_cite_the_check_as_it_gives_them(
    catalog: Catalog, hotline_id: str, cited: list[str]
) -> None:
    text = " ".join(sources(catalog.hotline(hotline_id)).split())
    assert all(c in text for c in cited), text


def test_every_number_is_a_real_us_number(catalog: Catalog) -> None:
    for hotline_id, field, _ in NEW_LINES:
        hotline = catalog.hotline(hotline_id)
        for channel in hotline.channels_of(field.split("_")[0]):
            if channel.kind in ("call", "text"):
                assert phone_problem(channel.value, channel.kind) is None, hotline_id


def test_old_numbers_are_kept_as_replaced(catalog: Catalog) -> None:
    assert [r.number for r in catalog.hotline("signs_of_hope").replaces] == ["1-888-366-1640"]
    assert [r.number for r in catalog.hotline("cps_washoe").replaces] == ["775-785-8600"]
    old = {"1-888-366-1640", "775-785-8600", "1-800-273-8255"}
    assert not old & {c.value for h in catalog.hotlines for c in h.channels}
    with pytest.raises(KeyError):
        catalog.hotline("rape_crisis_center")  # renamed signs_of_hope


def test_childhelp_says_it_takes_no_reports(catalog: Catalog) -> None:
    childhelp = catalog.hotline("childhelp")
    assert childhelp.not_a_reporting_line and childhelp.reporting_area is None
    assert "child_abuse_report" not in childhelp.topics
    assert "not a reporting line" in (childhelp.notes or "").lower()


def test_reporting_areas(catalog: Catalog) -> None:
    areas = {h.id: h.reporting_area for h in catalog.hotlines if h.reporting_area}
    assert set(areas) == {"cps_clark", "cps_washoe", "cps_nevada_rural", "cps_los_angeles",
                          "cps_sacramento", "cps_san_diego"}  # fmt: skip
    rural = areas["cps_nevada_rural"]
    assert rural is not None and rural.state == "NV" and rural.other_counties
    assert {h.id for h in catalog.hotlines_for("child_abuse_report")} == set(areas)


def test_spanish_options(catalog: Catalog) -> None:
    (text,) = catalog.hotline("crisis_text_line").channels_of("text")
    assert (text.keyword, text.keyword_es, text.instructions_es) == (
        "HOME", "HOLA", "Manda HOLA por texto al 741741")  # fmt: skip
    lifeline = catalog.hotline("lifeline_988")
    assert lifeline.channels_of("text")[0].keyword_es == "AYUDA"
    assert "marca 2" in (lifeline.channels_of("call")[0].instructions_es or "")
    assert "Spanish" in (lifeline.channels_of("chat")[0].note or "")
    assert "es" in lifeline.languages and "es" in catalog.hotline("crisis_text_line").languages


def test_ncmec_cybertipline_url_is_current(catalog: Catalog) -> None:
    webs = [c.value for c in catalog.hotline("ncmec").channels_of("web")]
    assert webs == ["https://report.cybertip.org/", "https://www.missingkids.org/"]
    assert "missingkids.com/gethelpnow" in (catalog.hotline("ncmec").notes or "")


def test_lgbt_talkline_hours_are_eastern_and_not_24_7(catalog: Catalog) -> None:
    talkline = catalog.hotline("lgbt_youth_talkline")
    assert talkline.display("web") == "https://www.lgbthotline.org/"
    assert talkline.hours.timezone == "America/New_York"
    assert is_open(talkline.hours, datetime(2026, 12, 1, 17, 0, tzinfo=EASTERN)) is True  # Tue
    assert is_open(talkline.hours, datetime(2026, 12, 1, 10, 0, tzinfo=EASTERN)) is False
    assert is_open(talkline.hours, datetime(2026, 12, 5, 13, 0, tzinfo=EASTERN)) is True  # Sat
    assert is_open(talkline.hours, datetime(2026, 12, 6, 13, 0, tzinfo=EASTERN)) is False  # Sun
    pacific = datetime(2026, 12, 1, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert is_open(talkline.hours, pacific) is True  # 8:30 pm in Las Vegas is 11:30 pm ET
    assert is_open(talkline.hours, pacific.replace(hour=21, minute=30)) is False  # 00:30 ET


def test_runaway_safeline_chat_text_and_home_free(catalog: Catalog) -> None:
    safeline = catalog.hotline("runaway_safeline")
    assert safeline.display("text") == "66008"
    assert safeline.channels_of("chat")[0].hours_note == "24/7"
    assert safeline.ages is not None and (safeline.ages.min, safeline.ages.max) == (12, 21)
    home_free = safeline.program("home_free")
    assert home_free.ages is not None and home_free.ages.includes(21)
    assert not home_free.ages.includes(22) and home_free.ages.includes(18)
    assert "bus ticket" in home_free.summary
    assert [s.ref for s in home_free.sources if s.kind == "seed"] == [
        "001_304a7ff96cf0bf3f.txt:L11010-11012"]  # fmt: skip


def test_awaken_hours(catalog: Catalog) -> None:
    awaken = catalog.place("awaken")
    pacific = ZoneInfo("America/Los_Angeles")
    assert is_open(awaken.hours, datetime(2026, 11, 30, 13, 0, tzinfo=pacific)) is True  # Mon
    assert is_open(awaken.hours, datetime(2026, 12, 2, 13, 0, tzinfo=pacific)) is False  # Wed
    assert is_open(awaken.hours, datetime(2026, 12, 3, 16, 59, tzinfo=pacific)) is True  # Thu
    assert is_open(awaken.hours, datetime(2026, 12, 3, 17, 0, tzinfo=pacific)) is False
    assert awaken.offer_to_minors is False


def test_safe_place_reno_has_the_childrens_cabinet_number(catalog: Catalog) -> None:
    reno = catalog.place("safe_place_reno")
    assert reno.phone == "1-800-536-4588" and reno.ages is not None
    assert (reno.ages.min, reno.ages.max) == (12, 17)
    assert "SAFE to 44357" in (reno.notes or "")


def test_signs_of_hope_is_local_and_24_7(catalog: Catalog) -> None:
    hope = catalog.hotline("signs_of_hope")
    assert hope.region == "las_vegas" and hope.hours.status == "always"
    assert "Rape Crisis Center" in hope.name  # the name people may still know


def test_drop_in_services_follow_the_seed_lines(catalog: Catalog) -> None:
    """001 L11113-11117 (NPHY: "emergency/survival needs"), L11118-11123 (TEP: "shower,
    clothes, hygiene, food"), L11126-11133 (Eddy House: "basic hygiene, survival and
    technology needs"), L11148-11153 (RHYME: "shelter/housing, food, clothing")."""
    services = {p.id: set(p.services) for p in catalog.places}
    assert {"basic_needs"} <= services["nphy_drop_in"]
    assert {"shower", "clothing", "hygiene", "food", "basic_needs"} <= services["tep_drop_in"]
    assert {"hygiene", "basic_needs", "technology_access"} <= services["eddy_house"]
    assert {"shelter", "food", "clothing"} <= services["rhyme"]
    assert not {"food", "shower", "technology_access"} & services["awaken"]
    assert set(catalog.needs["basic_needs"]) >= {"food", "shower", "clothing", "hygiene",
                                                 "technology_access", "basic_needs"}  # fmt: skip
