"""`python -m resources check`: the shipped data passes; each kind of mistake in a copy of the
data is an error that names the file and the entry (the seed's own Eddy House ZIP included)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from resources.catalog import CatalogError, load_catalog
from resources.validate import HIDDEN, NO_SEEDS, check, phone_problem
from tests.resources.conftest import REPO, Editor, entry

# The data files this agent's checks cover; texts (replies*.yml, guide.yml) are checked too,
# but other people write them: tests/resources/test_text_checks.py reports those.
DATA = ("hotlines.yml", "places.yml", "regions.yml", "gazetteer.yml", "service_tags.yml")
SEEDS = REPO.parent / "shared" / "seeds"


def errors(data_dir: Path, **kwargs: Any) -> list[str]:
    return [str(p) for p in check(data_dir, **kwargs) if p.level == "error"]


def data_errors(**kwargs: Any) -> list[str]:
    return [str(p) for p in check(**kwargs) if p.level == "error" and p.file in DATA]


def test_shipped_data_has_no_errors() -> None:
    assert data_errors(today=date(2026, 11, 24)) == []


def test_seed_citations_point_at_real_lines_that_say_it() -> None:
    if not SEEDS.is_dir():
        pytest.skip("seed texts are not beside the repository")
    assert data_errors(seeds_dir=SEEDS) == []


def test_without_seeds_the_citation_check_says_it_is_skipped(data_copy: Path) -> None:
    warnings = [str(p) for p in check(data_copy) if p.level == "warning"]
    assert "seeds: -: warning: " + NO_SEEDS in warnings


def test_command_line_on_shipped_data() -> None:
    """Exit status 1 exactly when there is an error line; none of them in the data files."""
    result = subprocess.run(
        [sys.executable, "-m", "resources", "check"], cwd=REPO, capture_output=True, text=True
    )
    lines = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    assert not [line for line in lines if line.split(":")[0] in DATA], result.stdout
    assert result.returncode == (1 if lines else 0), result.stdout + result.stderr
    assert f"{len(lines)} error(s)" in result.stderr


def test_command_line_passes_on_a_copy_of_the_data(data_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "resources", "check", "--data-dir", str(data_copy)],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_command_line_fails_on_broken_copy(edit: Editor, data_copy: Path) -> None:
    edit("places.yml", lambda d: entry(d, "places", "nphy_drop_in").update(phone="702-383-13"))
    result = subprocess.run(
        [sys.executable, "-m", "resources", "check", "--data-dir", str(data_copy)],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "places.yml: nphy_drop_in: call number '702-383-13'" in result.stdout


def test_seed_eddy_house_zip_98512_is_caught(edit: Editor, data_copy: Path) -> None:
    """The seed prints "Reno, NV 98512" (001_304a7ff96cf0bf3f.txt:L11126): a Washington ZIP."""
    edit("places.yml", lambda d: entry(d, "places", "eddy_house")["address"].update(zip="98512"))
    assert errors(data_copy) == [
        "places.yml: eddy_house: ZIP 98512 belongs to Olympia, WA, not Reno, NV"
    ]


def _set(key: str, entry_id: str, **values: Any) -> Any:
    return lambda doc: entry(doc, key, entry_id).update(values)


def _hours(entry_id: str, weekly: dict[str, list[str]]) -> Any:
    def change(doc: Any) -> None:
        entry(doc, "places", entry_id)["hours"] = {"timezone": "America/Los_Angeles",
                                                   "weekly": weekly}  # fmt: skip

    return change


def _channel(hotline_id: str, index: int, **values: Any) -> Any:
    return lambda doc: entry(doc, "hotlines", hotline_id)["channels"][index].update(values)


def _drop(key: str, entry_id: str, field: str) -> Any:
    return lambda doc: entry(doc, key, entry_id).pop(field)


def _duplicate(doc: Any) -> None:
    doc["hotlines"].append(dict(entry(doc, "hotlines", "crisis_text_line")))


BROKEN = [
    ("malformed place phone", "places.yml", _set("places", "tep_drop_in", phone="702-463-692"),
     "places.yml: tep_drop_in: call number '702-463-692' is neither"),
    ("hotline number not a US number", "hotlines.yml", _channel("nhth", 0, number="1-888-373-78"),
     "hotlines.yml: nhth: call number '1-888-373-78'"),
    ("invalid US number", "hotlines.yml", _channel("rhyme", 0, number="1-800-036-4588"),
     "hotlines.yml: rhyme: call number '1-800-036-4588' is not a valid US number"),
    ("short code used for a call", "hotlines.yml", _channel("lifeline_988", 0, number="741741"),
     "hotlines.yml: lifeline_988: call number '741741'"),
    ("text short code too short", "hotlines.yml", _channel("crisis_text_line", 0, number="7417"),
     "hotlines.yml: crisis_text_line: text number '7417'"),
    ("vanity letters do not match", "hotlines.yml", _channel("runaway_safeline", 0,
     display="1-800-RUNAWAT"), "hotlines.yml: runaway_safeline: display '1-800-RUNAWAT'"),
    ("malformed email", "hotlines.yml", _set("hotlines", "nhth", channels=[
        {"kind": "call", "number": "1-888-373-7888"}, {"kind": "email", "address": "help@"}]),
     "hotlines.yml: nhth: email 'help@' is malformed"),
    ("ZIP not in that city", "places.yml",
     lambda d: entry(d, "places", "tep_drop_in")["address"].update(zip="89502"),
     "places.yml: tep_drop_in: ZIP 89502 belongs to Reno, NV, not Las Vegas, NV"),
    ("not a ZIP at all", "places.yml",
     lambda d: entry(d, "places", "awaken")["address"].update(zip="00000"),
     "places.yml: awaken: ZIP '00000' is not a US ZIP code"),
    ("coordinates far from the ZIP", "places.yml",
     _set("places", "nphy_drop_in", location={"lat": 36.3, "lon": -115.4}),
     "places.yml: nphy_drop_in: location is 20 miles from the centre of ZIP 89119"),
    ("place outside its region", "places.yml",
     _set("places", "rhyme", location={"lat": 36.17, "lon": -115.14}),
     "places.yml: rhyme: location is outside its region 'reno'"),
    ("unknown service tag", "places.yml", _set("places", "tep_drop_in", services=["showers"]),
     "places.yml: tep_drop_in: unknown service tag 'showers'"),
    ("unknown topic", "hotlines.yml", _set("hotlines", "ncmec", topics=["missing"]),
     "hotlines.yml: ncmec: unknown topic 'missing'"),
    ("bad day name", "places.yml", _hours("nphy_drop_in", {"funday": ["08:00-19:00"]}),
     "places.yml: nphy_drop_in: hours: day 'funday'"),
    ("25:00", "places.yml", _hours("nphy_drop_in", {"mon": ["08:00-25:00"]}),
     "places.yml: nphy_drop_in: hours: time 25:00 is not a clock time"),
    ("end before start", "places.yml", _hours("tep_drop_in", {"mon": ["19:00-08:00"]}),
     "places.yml: tep_drop_in: hours: interval '19:00-08:00' ends before it starts"),
    ("day given twice", "places.yml",
     _hours("tep_drop_in", {"mon-fri": ["09:00-17:00"], "fri": ["09:00-12:00"]}),
     "places.yml: tep_drop_in: hours: fri is given twice"),
    ("unknown time zone", "places.yml", lambda d: entry(d, "places", "eddy_house")["hours"].update(
        timezone="America/Reno"), "places.yml: eddy_house: hours: unknown time zone"),
    ("missing source", "places.yml", _drop("places", "awaken", "source"),
     "places.yml: awaken: missing source"),
    ("missing last_verified", "hotlines.yml", _drop("hotlines", "rhyme", "last_verified"),
     "hotlines.yml: rhyme: missing or malformed last_verified"),
    ("malformed seed citation", "hotlines.yml",
     _set("hotlines", "rhyme", source=[{"seed": "001:L11148-11153"}]),
     "hotlines.yml: rhyme: seed source '001:L11148-11153' is not like"),
    ("duplicate id", "hotlines.yml", _duplicate, "hotlines.yml: crisis_text_line: duplicate id"),
    ("unknown field (typo)", "places.yml", lambda d: entry(d, "places", "awaken").update(
        adress="x"), "places.yml: awaken: unknown field(s): adress"),
    ("address on a confidential shelter", "places.yml",
     _set("places", "nphy_emergency_shelter", address={
         "street": "1 Main St", "city": "Las Vegas", "state": "NV", "zip": "89101"}),
     "places.yml: nphy_emergency_shelter: a confidential location must not have an address"),
    ("discreet label names the topic", "hotlines.yml",
     _set("hotlines", "nhth", discreet_label="Trafficking hotline"),
     "hotlines.yml: nhth: discreet_label uses 'trafficking'"),
    ("every channel hidden", "hotlines.yml",
     _set("hotlines", "crisis_text_line", channels=[
         {"kind": "text", "number": "741741", "keyword": "HOME", "present": False}]),
     "hotlines.yml: crisis_text_line: no channel may be shown"),
    ("fallback names a missing hotline", "regions.yml",
     lambda d: d.update(national_fallback=["txt_4_help", "safeline"]),
     "regions.yml: national_fallback: unknown hotline 'safeline'"),
    ("gazetteer region unknown", "gazetteer.yml",
     lambda d: entry(d, "entries", "unlv").update(region="vegas"),
     "gazetteer.yml: unlv: unknown region 'vegas'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "file", "change", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_kind_of_mistake_is_an_error(
    edit: Editor, data_copy: Path, name: str, file: str, change: Any, expected: str
) -> None:
    edit(file, change)
    found = errors(data_copy)
    assert any(line.startswith(expected) for line in found), found


def test_overnight_hours_are_fine_when_marked(edit: Editor, data_copy: Path) -> None:
    edit("places.yml", _hours("tep_drop_in", {"fri-sat": ["20:00-06:00+1"]}))
    assert errors(data_copy) == []


def test_load_catalog_raises_a_clear_error(edit: Editor, data_copy: Path) -> None:
    edit("places.yml", _set("places", "tep_drop_in", services=["showers"]))
    with pytest.raises(CatalogError) as raised:
        load_catalog(data_copy)
    assert (raised.value.file, raised.value.entry_id) == ("places.yml", "tep_drop_in")
    assert "showers" in raised.value.reason


def test_missing_file_is_reported(data_copy: Path) -> None:
    (data_copy / "regions.yml").unlink()
    assert errors(data_copy) == ["regions.yml: -: file is missing"]


def test_seed_line_range_outside_the_seed_is_an_error(
    edit: Editor, data_copy: Path, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_304a7ff96cf0bf3f.txt").write_text("line\n" * 100, encoding="utf-8")
    edit("hotlines.yml", _set("hotlines", "rhyme", source=[
        {"seed": "001_304a7ff96cf0bf3f.txt:L90-120"}]))  # fmt: skip
    found = errors(data_copy, seeds_dir=seeds)
    assert (
        "hotlines.yml: rhyme: seed source '001_304a7ff96cf0bf3f.txt:L90-120': lines outside 1-100"
        in found
    )


def _stale(problems: list[Any]) -> list[str]:
    return [str(p) for p in problems if p.level == "warning" and "last_verified" in p.reason]


def test_stale_entries_are_warnings_not_errors(data_copy: Path) -> None:
    stale = _stale(check(data_copy, today=date(2026, 11, 24)))
    assert (
        "places.yml: nphy_drop_in: warning: last_verified 2018-10-17 is over 365 days old" in stale
    )
    assert not any("lifeline_988" in line for line in stale)  # verified from 2026 notes
    assert _stale(check(data_copy, today=date(2019, 1, 1))) == []


@pytest.mark.parametrize(
    ("number", "kind", "ok"),
    [
        ("911", "call", True), ("988", "call", True), ("2-1-1", "call", True),
        ("711", "tty", True), ("988", "text", True), ("741741", "text", True),
        ("44357", "text", True), ("898-211", "text", True), ("702-555-0123", "call", True),
        ("1-800-RUNAWAY", "call", True), ("41", "text", False), ("1234567", "text", False),
        ("44357", "call", False), ("555-0123", "call", False), ("1-800-RUNAWAY", "text", True),
        ("+44 20 7946 0958", "call", False), ("000-000-0000", "call", False),
    ],
)  # fmt: skip
def test_phone_rules_by_channel(number: str, kind: str, ok: bool) -> None:
    assert (phone_problem(number, kind) is None) is ok


def test_a_hotline_hidden_until_verified_is_a_warning(data_copy: Path) -> None:
    warnings = [str(p) for p in check(data_copy) if p.level == "warning"]
    assert f"hotlines.yml: nevada_vine: warning: {HIDDEN}" in warnings


MORE_BROKEN = [
    ("adults-only place offered to unknown ages", "places.yml",
     _set("places", "eddy_house", offer_to_minors=True),
     "places.yml: eddy_house: serves adults only (ages.min >= 18): set offer_to_minors: false"),
    ("reporting county that does not exist", "hotlines.yml",
     lambda d: entry(d, "hotlines", "cps_clark")["reporting_area"].update(counties=["Clarke"]),
     "hotlines.yml: cps_clark: reporting_area: no county 'Clarke' in NV"),
    ("two lines for the other counties", "hotlines.yml",
     lambda d: entry(d, "hotlines", "cps_clark").update(
         reporting_area={"state": "NV", "other_counties": True}),
     "hotlines.yml: -: 2 lines take other_counties in NV"),
    ("a support line set up as a reporting line", "hotlines.yml",
     _set("hotlines", "childhelp", reporting_area={"state": "CA", "counties": ["Fresno"]}),
     "hotlines.yml: childhelp: not_a_reporting_line and reporting_area contradict"),
    ("a reporting line whose only number is unverified", "hotlines.yml",
     _channel("cps_sacramento", 0, verify_before_launch=True),
     "hotlines.yml: cps_sacramento: a reporting line needs a call channel that is offered"),
    ("reporting area without counties", "hotlines.yml",
     _set("hotlines", "cps_washoe", reporting_area={"state": "NV"}),
     "hotlines.yml: cps_washoe: reporting_area needs either counties or other_counties"),
    ("bad channel label", "hotlines.yml",
     _channel("cps_nevada_rural", 1, label="After Hours"),
     "hotlines.yml: cps_nevada_rural: channel label 'After Hours'"),
    ("unknown tag in a need", "service_tags.yml",
     lambda d: d["needs"].update(basic_needs=["food", "showers"]),
     "service_tags.yml: needs.basic_needs: unknown tags ['showers']"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "file", "change", "expected"), MORE_BROKEN,
                         ids=[b[0] for b in MORE_BROKEN])  # fmt: skip
def test_each_new_kind_of_mistake_is_an_error(
    edit: Editor, data_copy: Path, name: str, file: str, change: Any, expected: str
) -> None:
    edit(file, change)
    found = errors(data_copy)
    assert any(line.startswith(expected) for line in found), found
