"""Opening hours are read in the place's own time zone; unknown hours stay unknown."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from resources import describe_hours, is_open
from resources.hours import HoursError, parse_hours
from resources.models import Catalog, Hours
from tests.resources.conftest import PACIFIC, SATURDAY_9PM, TUESDAY_11AM


def weekly(spec: dict[str, list[str]], tz: str = "America/Los_Angeles") -> Hours:
    return parse_hours({"timezone": tz, "weekly": spec})


def test_saturday_9pm_in_las_vegas_nphy_drop_in_is_closed(catalog: Catalog) -> None:
    hours = catalog.place("nphy_drop_in").hours
    assert is_open(hours, SATURDAY_9PM) is False
    assert is_open(hours, SATURDAY_9PM.replace(hour=18, minute=59)) is True
    assert is_open(hours, SATURDAY_9PM.replace(hour=19, minute=0)) is False


def test_the_same_instant_in_utc_gives_the_same_answer(catalog: Catalog) -> None:
    hours = catalog.place("nphy_drop_in").hours
    # Saturday 21:00 in Las Vegas is Sunday 05:00 UTC: still closed (not "Sunday").
    assert is_open(hours, SATURDAY_9PM.astimezone(timezone.utc)) is False
    # Tuesday 11:00 in Las Vegas is 19:00 UTC: open, though 19:00 local would be closed.
    utc = TUESDAY_11AM.astimezone(timezone.utc)
    assert utc.hour == 19
    assert is_open(hours, utc) is True
    # A server in New York at 21:30 Tuesday asks: 18:30 in Las Vegas, still open.
    new_york = datetime(2026, 11, 24, 21, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert is_open(hours, new_york) is True


def test_daylight_saving_is_handled() -> None:
    hours = weekly({"mon-sun": ["08:00-19:00"]})
    summer_utc = datetime(2026, 7, 1, 15, 30, tzinfo=timezone.utc)  # 08:30 PDT
    winter_utc = datetime(2026, 1, 7, 15, 30, tzinfo=timezone.utc)  # 07:30 PST
    assert is_open(hours, summer_utc) is True
    assert is_open(hours, winter_utc) is False


def test_naive_time_is_read_as_local_time(catalog: Catalog) -> None:
    hours = catalog.place("nphy_drop_in").hours
    assert is_open(hours, datetime(2026, 11, 24, 11, 0)) is True  # noqa: DTZ001
    assert is_open(hours, datetime(2026, 11, 29, 11, 0)) is False  # noqa: DTZ001 (Sunday)


def test_overnight_hours_run_into_the_next_morning() -> None:
    hours = weekly({"fri": ["20:00-06:00+1"]})
    friday = datetime(2026, 11, 27, 23, 0, tzinfo=PACIFIC)
    assert is_open(hours, friday) is True
    assert is_open(hours, friday + timedelta(hours=6, minutes=59)) is True  # Sat 05:59
    assert is_open(hours, friday + timedelta(hours=7)) is False  # Sat 06:00
    assert is_open(hours, friday - timedelta(hours=4)) is False  # Fri 19:00


def test_unknown_and_always(catalog: Catalog) -> None:
    assert is_open(catalog.place("nphy_emergency_shelter").hours, SATURDAY_9PM) is None
    assert is_open(catalog.hotline("runaway_safeline").hours, SATURDAY_9PM) is True
    assert is_open(catalog.place("safe_place_reno").hours) is None
    assert is_open(catalog.place("eddy_house").hours, SATURDAY_9PM) is True  # 24-hour shelter


@pytest.mark.parametrize(
    ("place_id", "text"),
    [
        ("nphy_drop_in", "Mon-Sat 8am-7pm"),
        ("tep_drop_in", "Mon 9am-6pm, Tue-Fri 9am-8pm, Sat 9am-6pm"),
        ("eddy_house", "24/7"),
        ("awaken", "Mon-Tue 12pm-5pm, Thu 12pm-5pm"),
        ("rhyme", "24/7"),
        ("nphy_emergency_shelter", "hours not listed"),
        (
            "safe_place_las_vegas",
            "A trained Crisis Responder will meet the youth within 30 minutes.",
        ),
    ],
)
def test_describe(catalog: Catalog, place_id: str, text: str) -> None:
    assert describe_hours(catalog.place(place_id).hours) == text


def test_describe_variants() -> None:
    assert describe_hours(weekly({"mon-sun": ["00:00-24:00"]})) == "24/7"
    assert describe_hours(weekly({"mon-sat": ["08:00-19:00"]}), dash="–") == "Mon–Sat 8am–7pm"
    split = weekly({"mon": ["09:30-12:00", "13:00-17:15"], "wed": ["12:00-00:30+1"]})
    assert describe_hours(split) == "Mon 9:30am-12pm and 1pm-5:15pm, Wed 12pm-12:30am"
    assert describe_hours(weekly({"mon": ["09:00-17:00"], "wed": ["09:00-17:00"]})) == (
        "Mon 9am-5pm, Wed 9am-5pm"
    )


def test_describe_in_spanish() -> None:
    assert describe_hours(weekly({"mon-sat": ["08:00-19:00"]}), language="es") == (
        "lun-sab 8am-7pm"
    )
    split = weekly({"mon": ["09:30-12:00", "13:00-17:15"], "sun": ["10:00-14:00"]})
    assert describe_hours(split, language="es") == "lun 9:30am-12pm y 1pm-5:15pm, dom 10am-2pm"


def test_source_words_are_not_shown_in_spanish(catalog: Catalog) -> None:
    hours = catalog.place("safe_place_las_vegas").hours
    assert describe_hours(hours, language="es") == "horario no indicado"


def test_describe_is_gsm7_by_default(catalog: Catalog) -> None:
    for place in catalog.places:
        assert describe_hours(place.hours).isascii()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"timezone": "America/Los_Angeles", "weekly": {"funday": ["08:00-09:00"]}}, "funday"),
        ({"timezone": "America/Los_Angeles", "weekly": {"mon": ["8-9"]}}, "HH:MM"),
        ({"timezone": "America/Los_Angeles", "weekly": {"mon": ["08:60-09:00"]}}, "clock time"),
        ({"timezone": "America/Los_Angeles", "weekly": {"mon": ["24:00-24:00"]}}, "clock time"),
        ({"timezone": "America/Los_Angeles", "weekly": {"mon": ["09:00-09:00"]}}, "ends before"),
        ({"timezone": "America/Los_Angeles", "weekly": {"mon": ["06:00-09:00+1"]}}, "overnight"),
        ({"timezone": "America/Los_Angeles",
          "weekly": {"mon": ["08:00-12:00", "11:00-13:00"]}}, "overlap"),
        ({"timezone": "America/Los_Angeles", "weekly": {"sat-mon": ["08:00-09:00"]}}, "backwards"),
        ({"weekly": {"mon": ["08:00-09:00"]}}, "timezone"),
        ({"always_open": True, "unknown": True}, "exactly one"),
        ({"always_open": True, "hours": "9-5"}, "unknown hours keys"),
        ({}, "exactly one"),
        (None, "mapping"),
    ],
)  # fmt: skip
def test_bad_hours_are_rejected(raw: object, message: str) -> None:
    with pytest.raises(HoursError, match=message):
        parse_hours(raw)
