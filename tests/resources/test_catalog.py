"""The catalog: what the data promises (sources, corrections, hidden unverified channels) and
the lookups other parts of Waypoint use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resources import load_catalog
from resources.catalog import DEFAULT_DATA_DIR
from resources.models import Catalog

RESOURCE_CODE = sorted(Path(DEFAULT_DATA_DIR).parent.glob("*.py"))
MY_MODULES = {
    "__init__.py", "__main__.py", "models.py", "catalog.py", "validate.py", "hours.py", "geo.py",
    "locations.py", "nearby.py", "present.py", "reporting.py", "citations.py", "text_checks.py",
}  # fmt: skip


def test_default_catalog_is_loaded_once() -> None:
    assert load_catalog() is load_catalog()
    assert load_catalog(DEFAULT_DATA_DIR) is load_catalog()


def test_a_copy_loads_fresh(data_copy: Path) -> None:
    assert load_catalog(data_copy) is not load_catalog()
    assert [h.id for h in load_catalog(data_copy).hotlines] == [
        h.id for h in load_catalog().hotlines
    ]


def test_lookups(catalog: Catalog) -> None:
    assert catalog.hotline("nhth").name == "National Human Trafficking Hotline"
    assert catalog.place("nphy_drop_in").address is not None
    with pytest.raises(KeyError):
        catalog.hotline("polaris")
    with pytest.raises(KeyError):
        catalog.place("nowhere")
    with pytest.raises(KeyError):
        catalog.hotlines_for("astrology")


def test_hotlines_for_puts_emergency_first(catalog: Catalog) -> None:
    assert [h.id for h in catalog.hotlines_for("danger")][:2] == ["emergency_911", "lifeline_988"]
    assert [h.id for h in catalog.hotlines_for("suicide")] == [
        "emergency_911", "lifeline_988", "crisis_text_line"]  # fmt: skip
    assert "ncmec" in {h.id for h in catalog.hotlines_for("missing_child")}
    assert {"rainn", "signs_of_hope"} <= {h.id for h in catalog.hotlines_for("sexual_assault")}
    assert [h.id for h in catalog.hotlines_for("lgbtq")] == [
        "trevor_project",
        "lgbt_youth_talkline",
    ]
    assert "safe_place_las_vegas" not in {
        h.id for h in catalog.hotlines_for("danger")
    }  # unverified


def test_reply_template_fields(catalog: Catalog) -> None:
    """The fields replies.yml fills in ({nhth.call}, {txt_4_help.text_keyword}, ...)."""
    nhth = catalog.hotline("nhth")
    assert nhth.display("call") == "1-888-373-7888"
    assert nhth.display("tty") == "711"
    assert nhth.display("text") is None  # 233733 is recorded but not verified: never shown
    assert nhth.display("email") is None
    assert catalog.hotline("runaway_safeline").display("call") == "1-800-RUNAWAY"
    assert catalog.hotline("txt_4_help").display("text") == "4HELP (44357)"
    assert catalog.hotline("txt_4_help").display("text_keyword") == "SAFE"
    assert catalog.hotline("crisis_text_line").display("text_keyword") == "HOME"
    assert catalog.hotline("crisis_text_line").display("text_keyword_es") == "HOLA"
    assert catalog.hotline("lifeline_988").display("text_keyword_es") == "AYUDA"
    assert catalog.hotline("txt_4_help").display("text_keyword_es") == "SAFE"  # no Spanish word
    assert catalog.hotline("lifeline_988").display("text") == "988"
    assert catalog.hotline("cps_nevada_rural").display("call_after_hours") == "833-803-1183"
    assert catalog.hotline("cps_los_angeles").display("call_outside_state") == "213-639-4500"
    assert catalog.hotline("cps_washoe").display("call") == "833-900-SAFE"
    assert catalog.hotline("nevada_211").display("text") is None  # 898-211 is unverified
    assert catalog.hotline("nevada_211").display("call") == "2-1-1"
    assert catalog.hotline("ncmec").display("short_name") == "NCMEC"
    assert catalog.hotline("emergency_911").display("fax") is None


def test_unverified_text_code_is_recorded_but_flagged(catalog: Catalog) -> None:
    (text,) = [c for c in catalog.hotline("nhth").channels if c.kind == "text"]
    assert (text.value, text.present, text.verify_before_launch) == ("233733", False, True)


def test_988_replaces_the_old_lifeline_under_both_seed_names(catalog: Catalog) -> None:
    lifeline = catalog.hotline("lifeline_988")
    assert {(r.number, r.name) for r in lifeline.replaces} == {
        ("1-800-273-8255", "National Suicide Prevention Lifeline"),
        ("1-800-273-8255", "Crisis Call Center"),
    }
    refs = {s.ref for r in lifeline.replaces for s in r.sources}
    assert refs == {
        "001_304a7ff96cf0bf3f.txt:L11045-11047",
        "001_304a7ff96cf0bf3f.txt:L11053-11054",
    }
    assert all("273-8255" not in c.value for h in catalog.hotlines for c in h.channels)


def test_eddy_house_zip_is_corrected_and_the_seed_error_quoted(catalog: Catalog) -> None:
    eddy = catalog.place("eddy_house")
    assert eddy.address is not None and eddy.address.zip == "89512"
    assert eddy.notes is not None and "98512" in eddy.notes and "2020" in eddy.notes
    assert eddy.verify_before_launch and eddy.address_outdated


def test_eddy_house_is_the_2020_adult_shelter_without_directions(catalog: Catalog) -> None:
    """RESOURCE_CHECK: moved 2020-01-30 to a 24-hour shelter on Willow St, ages 18-24."""
    eddy = catalog.place("eddy_house")
    assert eddy.ages is not None and (eddy.ages.min, eddy.ages.max) == (18, 24)
    assert eddy.offer_to_minors is False and eddy.hours.status == "always"
    assert eddy.kind == "shelter" and "safe_place" not in eddy.services  # Safe Place is under 18
    assert eddy.how_to_get_there is None and eddy.location_precision == "city"
    assert "Willow" in (eddy.notes or "")


def test_confidential_shelter_has_no_address(catalog: Catalog) -> None:
    shelter = catalog.place("nphy_emergency_shelter")
    assert shelter.confidential_location and shelter.address is None
    assert shelter.location_precision == "city"


def test_awaken_is_not_offered_to_minors_by_default(catalog: Catalog) -> None:
    awaken = catalog.place("awaken")
    assert awaken.ages is None and awaken.offer_to_minors is False


def test_every_entry_is_sourced_and_dated(catalog: Catalog) -> None:
    for item in (*catalog.hotlines, *catalog.places):
        assert item.sources, item.id
        assert item.last_verified.year >= 2018, item.id
    flagged = {h.id for h in catalog.hotlines if h.verify_before_launch}
    assert flagged == {"safe_place_las_vegas", "nevada_vine"}  # no current source for either


def test_seed_facts_are_dated_by_the_seed_and_corrections_by_their_check(
    catalog: Catalog,
) -> None:
    assert str(catalog.place("tep_drop_in").last_verified) == "2018-10-17"
    assert str(catalog.hotline("nhth").last_verified) == "2026-11-24"  # SEED_MAP notes
    assert str(catalog.hotline("lifeline_988").last_verified) == "2026-12-01"  # RESOURCE_CHECK


def test_discreet_labels_are_safe_on_a_lock_screen(catalog: Catalog) -> None:
    for hotline in catalog.hotlines:
        words = set(re.findall(r"[a-z]+", hotline.discreet_label.lower()))
        assert not words & {"trafficking", "exploitation", "suicide", "rape"}, hotline.id


@pytest.mark.parametrize("path", [p for p in RESOURCE_CODE if p.name in MY_MODULES], ids=str)
def test_no_phone_number_is_written_in_code(path: Path) -> None:
    """Content is data: numbers live in resources/data, never in Python."""
    code = path.read_text(encoding="utf-8")
    assert not re.search(r"\b\d{3}[-.]\d{3}[-.]\d{4}\b|\b1-8\d\d-", code), path.name
