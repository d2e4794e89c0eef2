"""`verify_before_launch` changes what the assistant does (docs/resources.md, "Unverified
numbers"): a flagged hotline channel is never offered (a wrong number given to a youth in
crisis is worse than none); a flagged place is offered with a one-line "call first" caveat."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from resources import load_catalog, resolve_location
from resources.catalog import DEFAULT_DATA_DIR
from resources.guide_answers import every_answer
from resources.models import Catalog, Channel, Hotline
from resources.nearby import find_nearest_places
from resources.numbers import numbers_text
from resources.present import formats, places_answer
from resources.replies import all_reply_texts
from resources.reporting import every_reporting_text
from resources.text_checks import placeholder_problems
from tests.resources.conftest import SATURDAY_9PM, TUESDAY_11AM

QUERIES = ["las vegas", "89119", "89104", "henderson", "reno", "89502", "sparks", "elko",
           "carson city", "fresno", "los angeles", "austin tx", "zzz"]  # fmt: skip


def flagged(catalog: Catalog) -> list[tuple[Hotline, Channel]]:
    return [(h, c) for h in catalog.hotlines for c in h.channels
            if c.verify_before_launch or h.verify_before_launch]  # fmt: skip


def every_text() -> list[str]:
    """Everything the resources can render: replies, guide answers, place answers, national
    lines, the numbers again, and the reporting lines."""
    catalog = load_catalog()
    texts = [text for *_, text in all_reply_texts()]
    texts += [a.text for _, _, a in every_answer()]
    texts += [text for *_, text in every_reporting_text()]
    for query in QUERIES:
        found = resolve_location(query)
        point = (found.point.lat, found.point.lon) if found.point else None
        for language in ("en", "es"):
            for need in (None, "basic_needs", "shelter", "open_now"):
                for when in (TUESDAY_11AM, SATURDAY_9PM):
                    for age in (None, 15, 20):
                        texts.append(places_answer(found.label, point, language=language,
                                                   need=need, when=when, age=age))  # fmt: skip
    for language in ("en", "es"):
        texts.append(numbers_text([h.id for h in catalog.hotlines], language) or "")
    return texts


def test_there_are_flagged_channels_to_test() -> None:
    values = {c.value for _, c in flagged(load_catalog())}
    assert {"233733", "898211", "1-866-535-5654", "1-888-268-8463"} <= values


def test_a_flagged_channel_is_not_offered() -> None:
    catalog = load_catalog()
    for hotline, channel in flagged(catalog):
        assert channel not in hotline.offered_channels
        assert channel not in hotline.channels_of(channel.kind)
    assert catalog.hotline("nevada_211").display("text") is None
    assert [c.value for c in catalog.hotline("nevada_211").channels_of("call")] == ["211"]
    assert catalog.hotline("nevada_vine").display("call") is None  # the whole line is flagged
    assert "nevada_vine" not in {h.id for h in catalog.hotlines_for("victim_notification")}


def test_a_flagged_channel_never_appears_in_any_text() -> None:
    """The numbers that are also a place's phone are governed by the place rule (offered with
    the caveat): Safe Place Las Vegas's place entry keeps 1-866-827-3723."""
    catalog = load_catalog()
    place_phones = {p.phone for p in catalog.places if p.phone}
    hidden = {c.value for _, c in flagged(catalog)} | {c.display for _, c in flagged(catalog)
                                                       if c.display}  # fmt: skip
    hidden -= place_phones
    hidden |= {"898-211", "898211"}
    texts = every_text()
    assert len(texts) > 500
    leaks = sorted({(value, text[:80]) for text in texts for value in hidden if value in text})
    assert leaks == []


def test_a_template_needing_a_flagged_channel_is_an_error() -> None:
    catalog = load_catalog()
    nhth = catalog.hotline("nhth")
    flagged_call = replace(nhth.channels[0], verify_before_launch=True)
    changed = replace(nhth, channels=(flagged_call, *nhth.channels[1:]))
    other = replace(catalog, hotlines=tuple(changed if h.id == "nhth" else h
                                            for h in catalog.hotlines))  # fmt: skip
    assert placeholder_problems(catalog, "Call {nhth.call}.") == []
    assert placeholder_problems(other, "Call {nhth.call}.") == [
        "{nhth.call}: nhth offers no 'call' (hidden, unverified or none)"
    ]


def test_flagging_a_hotline_as_a_whole_hides_all_of_it() -> None:
    rainn = load_catalog().hotline("rainn")
    hidden = replace(rainn, verify_before_launch=True)
    assert hidden.offered_channels == () and hidden.display("call") is None


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_flagged_place_gets_the_caveat_an_unflagged_one_does_not(language: str) -> None:
    caveat = formats()["caveats"][language]["verify"]
    catalog = load_catalog()
    assert catalog.place("tep_drop_in").verify_before_launch
    assert not catalog.place("rhyme").verify_before_launch
    vegas = resolve_location("89104")
    assert vegas.point is not None
    text = places_answer(vegas.label, (vegas.point.lat, vegas.point.lon), language=language,
                         need="basic_needs", when=TUESDAY_11AM)  # fmt: skip
    assert "Embracing Project" in text and text.count(caveat) == 1
    reno = resolve_location("reno")
    assert reno.point is not None
    alone = places_answer(reno.label, (reno.point.lat, reno.point.lon), language=language,
                          need="open_now", when=SATURDAY_9PM, age=15)  # fmt: skip
    assert "RHYME" in alone and caveat not in alone


def test_the_caveat_fits_even_when_two_long_places_are_shown() -> None:
    """The caveat takes the room of the second place rather than push the SMS over 320."""
    for query in QUERIES:
        found = resolve_location(query)
        if found.point is None:
            continue
        for need in (None, "basic_needs"):
            text = places_answer(found.label, (found.point.lat, found.point.lon), need=need,
                                 language="es", when=TUESDAY_11AM)  # fmt: skip
            assert len(text) <= 320, text


def test_flagged_places_are_still_offered() -> None:
    point = resolve_location("89119").point
    assert point is not None
    places = find_nearest_places(point, age=15, when=TUESDAY_11AM, limit=20).places
    assert {m.place.id for m in places} >= {"nphy_drop_in", "tep_drop_in", "safe_place_las_vegas"}
    assert all(m.place.verify_before_launch for m in places)


def test_docs_describe_the_policy() -> None:
    docs = (Path(DEFAULT_DATA_DIR).parents[1] / "docs" / "resources.md").read_text(encoding="utf-8")
    assert "Unverified numbers" in docs and "Call first: details may have changed." in docs
