"""Place answers in the person's language: the same facts, the same order and the same phone
limits in Spanish as in English (words from answer_formats.yml, instructions_es in hotlines.yml);
the "call first" caveat once when a place is unverified; the basic-needs and open-now variants.

Spanish is written with its accents; what an SMS carries is `for_sms(text)` (GSM-7)."""

from __future__ import annotations

import pytest

from resources import resolve_location
from resources.present import SMS_LIMIT, formats, places_answer
from resources.spelling import for_sms, is_gsm7
from tests.resources.conftest import SATURDAY_9PM, TUESDAY_11AM

ENGLISH_WORDS = ("Places near", "Ages", "Call for", "mi away", "call 1-", "Text ", "Call first")
CAVEAT = {lang: formats()["caveats"][lang]["verify"] for lang in ("en", "es")}


def answer(query: str, language: str, **kwargs: object) -> str:
    found = resolve_location(query)
    point = (found.point.lat, found.point.lon) if found.point else None
    return places_answer(found.label, point, language=language, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ["las vegas", "reno", "89119", "fresno", "elko", "zzz"])
@pytest.mark.parametrize("when", [TUESDAY_11AM, SATURDAY_9PM], ids=["tue-11am", "sat-9pm"])
def test_spanish_place_answers_hold_the_same_numbers_in_spanish_words(query: str, when) -> None:  # type: ignore[no-untyped-def]
    english, spanish = answer(query, "en", when=when), answer(query, "es", when=when)
    assert spanish != english
    assert not any(word in spanish for word in ENGLISH_WORDS), spanish
    assert is_gsm7(for_sms(spanish)) and len(spanish) <= SMS_LIMIT

    def phones(text: str) -> list[str]:
        numbers = [w.strip(".,():") for w in text.split() if any(c.isdigit() for c in w)]
        return [n for n in numbers if n.count("-") >= 2 or (n.isdigit() and len(n) == 5)]

    # Spanish words are longer: the same numbers in the same order, as many as one SMS holds
    # (the first one always).
    en, es = phones(english), phones(spanish)
    assert es and es == en[: len(es)], (en, spanish)


def test_las_vegas_in_spanish() -> None:
    words = formats()["places"]["es"]
    text = answer("las vegas", "es", when=SATURDAY_9PM)  # the drop-in centers are closed
    assert text.startswith(words["intro"].format(label="Las Vegas, NV"))
    assert "Edades 12-18" in text and words["confidential"] in text


def test_outside_our_areas_in_spanish_gives_the_national_lines() -> None:
    text = answer("fresno", "es")
    assert text.startswith(formats()["national"]["es"]["intro_outside"].format(label="Fresno, CA"))
    assert "Manda SAFE" in text and "1-800-786-2929" in text


def test_unknown_place_in_spanish() -> None:
    assert places_answer(None, None, language="es").startswith(
        formats()["national"]["es"]["intro_unknown"]
    )


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("query", ["las vegas", "89119", "reno", "89502", "henderson"])
def test_an_unverified_place_gets_the_caveat_once(query: str, language: str) -> None:
    for when in (TUESDAY_11AM, SATURDAY_9PM):
        for age in (None, 15, 20):
            text = answer(query, language, when=when, age=age)
            assert len(text) <= SMS_LIMIT
            if "Places near" in text or "Lugares" in text:
                assert text.count(CAVEAT[language]) == 1, text


def test_no_caveat_when_every_place_shown_is_verified() -> None:
    """RHYME's number is confirmed (RESOURCE_CHECK): alone, it needs no caveat."""
    text = answer("reno", "en", need="basic_needs", when=TUESDAY_11AM)
    assert "RHYME" in text and "Safe Place" not in text
    assert CAVEAT["en"] not in text


def test_national_answers_have_no_caveat() -> None:
    for query in ("fresno", "elko", "zzz"):
        assert CAVEAT["en"] not in answer(query, "en")


def test_basic_needs_puts_drop_ins_with_hours_first() -> None:
    text = answer("las vegas", "en", need="basic_needs", when=SATURDAY_9PM)
    lines = text.splitlines()
    assert lines[1].startswith("1) ") and "Drop-In" in lines[1] and "Drop-In" in lines[2]
    assert "Safe Place" not in text  # a Safe Place site has no food or showers
    assert "Emergency Shelter" not in text  # the two drop-ins come first


def test_open_now_keeps_only_open_places_when_there_are_some() -> None:
    open_text = answer("89119", "en", need="open_now", when=TUESDAY_11AM)
    assert "(open now)" in open_text and "Emergency Shelter" not in open_text
    closed = answer("89119", "en", need="open_now", when=SATURDAY_9PM)
    assert closed == answer("89119", "en", when=SATURDAY_9PM)  # none open: the usual answer


def test_shelter_need() -> None:
    text = answer("las vegas", "en", need="shelter", age=15, when=TUESDAY_11AM)
    assert "Emergency Shelter" in text and "Drop-In" not in text


def test_unknown_need_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown need"):
        answer("reno", "en", need="party")


def test_the_old_signature_still_works() -> None:
    found = resolve_location("89119")
    assert found.point is not None
    text = places_answer(found.label, (found.point.lat, found.point.lon), "sms", 15, "en")
    assert text.startswith("Places near 89119 (Las Vegas, NV):")
