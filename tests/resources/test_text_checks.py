"""Every number in a text comes from the data files: no reply, guide or answer template types a
phone number or short code, and every placeholder renders from an offered channel.

`test_no_shipped_text_types_a_number` fails while replies.yml and guide.yml still carry typed
numbers (other people are converting them); its message lists each text that does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from resources.catalog import DEFAULT_DATA_DIR, load_catalog
from resources.models import Catalog
from resources.replies import render_template
from resources.text_checks import (
    placeholder_problems,
    templates,
    text_problems,
    typed_numbers,
)
from resources.validate import check
from tests.resources.conftest import Editor, entry

# What replies.yml and guide.yml are being rewritten to use instead of typed numbers.
PLACEHOLDERS = {
    "{emergency_911.call}": "911",
    "{lifeline_988.call}": "988",
    "{lifeline_988.text}": "988",
    "{crisis_text_line.text}": "741741",
    "{crisis_text_line.text_keyword}": "HOME",
    "{crisis_text_line.text_keyword_es}": "HOLA",
    "{lifeline_988.text_keyword_es}": "AYUDA",
    "{nhth.call}": "1-888-373-7888",
    "{runaway_safeline.call}": "1-800-786-2929",
    "{runaway_safeline.text}": "66008",
    "{trevor_project.text_keyword}": "START",
    "{cps_nevada_rural.call_after_hours}": "833-803-1183",
}


@pytest.mark.parametrize(("placeholder", "rendered"), PLACEHOLDERS.items())
def test_the_placeholders_the_texts_use_render(placeholder: str, rendered: str) -> None:
    assert render_template(f"Call {placeholder} now.") == f"Call {rendered} now."


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("If you are in danger, call 911.", ["911"]),
        ("Call or text 988 any time.", ["988"]),
        ("Text HOME to 741741.", ["741741"]),
        ("Call 1-800-273-8255.", ["800", "273", "8255"]),
        ("Call 2-1-1 from anywhere in Nevada.", ["2-1-1"]),
        ("Text SAFE to 4HELP.", ["4HELP"]),
        ("Call 1-866-U-ARE-SAFE.", ["866"]),
        ("Call {emergency_911.call} or text {lifeline_988.text}.", []),
        ("Ages 12-17, open 24/7. About 5 mi away.", []),
        ("{n}) {name}, {phone}.", []),
    ],
)
def test_typed_numbers(text: str, found: list[str]) -> None:
    assert typed_numbers(text) == found


def test_a_placeholder_for_an_unverified_channel_is_an_error(catalog: Catalog) -> None:
    assert placeholder_problems(catalog, "Text {nhth.text}.") == [
        "{nhth.text}: nhth offers no 'text' (hidden, unverified or none)"
    ]
    assert placeholder_problems(catalog, "Call {nevada_vine.call}.") == [
        "{nevada_vine.call}: nevada_vine offers no 'call' (hidden, unverified or none)"
    ]
    assert placeholder_problems(catalog, "Call {polaris.call}.") == [
        "{polaris.call}: no hotline 'polaris'"
    ]
    assert placeholder_problems(catalog, "Call {nhth.call}, or {label}.") == []


def _copy_texts(target: Path) -> None:
    for name in ("replies.yml", "replies_handoff.yml", "guide.yml", "answer_formats.yml"):
        if (DEFAULT_DATA_DIR / name).is_file():
            shutil.copy(DEFAULT_DATA_DIR / name, target / name)


def test_check_reports_a_typed_number_in_a_reply(data_copy: Path) -> None:
    (data_copy / "replies.yml").write_text(
        yaml.safe_dump({"x": {"audience": "youth", "sms": {"en": "Text HOME to 741741."}}}),
        encoding="utf-8",
    )
    found = [str(p) for p in check(data_copy) if p.level == "error"]
    assert found == ["replies.yml: x.sms.en: typed number '741741': use a placeholder"]


def test_verifying_a_channel_off_breaks_the_texts_that_need_it(
    edit: Editor, data_copy: Path
) -> None:
    """Flag the NHTH voice number as unverified: every text that gives it is now an error,
    because it would go out without its number."""
    _copy_texts(data_copy)
    edit("hotlines.yml", lambda d: entry(d, "hotlines", "nhth")["channels"][0].update(
        verify_before_launch=True))  # fmt: skip
    found = [str(p) for p in check(data_copy) if p.level == "error" and "{nhth.call}" in p.reason]
    assert found, "replies and guide texts use {nhth.call}"
    assert all("offers no 'call' (hidden, unverified or none)" in line for line in found)


def test_my_answer_pieces_have_no_typed_numbers() -> None:
    """reporting_lines and caveats (answer_formats.yml) take every number from hotlines.yml."""
    mine = [(f, w, t) for f, w, t in templates(DEFAULT_DATA_DIR) if f == "answer_formats.yml"
            and w.split(".")[0] in ("reporting_lines", "caveats")]  # fmt: skip
    assert len(mine) > 20
    assert [(w, typed_numbers(t)) for _, w, t in mine if typed_numbers(t)] == []
    assert [w for _, w, t in mine if placeholder_problems(load_catalog(), t)] == []


def test_no_shipped_text_types_a_number() -> None:
    """Fails until replies*.yml and guide.yml use placeholders everywhere: lists what is left."""
    left = [f"{f}: {w}: {why}" for f, w, why in text_problems(load_catalog(), DEFAULT_DATA_DIR)]
    assert left == [], "\n".join(left)
