"""Place answers in the person's language: the same facts, the same order and the same phone
limits in Spanish as in English (words from answer_formats.yml, instructions_es in hotlines.yml)."""

from __future__ import annotations

import pytest

from resources import resolve_location
from resources.present import SMS_LIMIT, places_answer
from sms_gateway.services.sms_format import is_gsm7

ENGLISH_WORDS = ("Places near", "Ages", "Call for", "mi away", "call 1-", "Text ")


def answer(query: str, language: str) -> str:
    found = resolve_location(query)
    point = (found.point.lat, found.point.lon) if found.point else None
    return places_answer(found.label, point, language=language)


@pytest.mark.parametrize("query", ["las vegas", "reno", "89119", "fresno", "elko", "zzz"])
def test_spanish_place_answers_hold_the_same_numbers_in_spanish_words(query: str) -> None:
    english, spanish = answer(query, "en"), answer(query, "es")
    assert spanish != english
    assert not any(word in spanish for word in ENGLISH_WORDS), spanish
    assert is_gsm7(spanish) and len(spanish) <= SMS_LIMIT
    numbers = [w.strip(".,():") for w in english.split() if any(c.isdigit() for c in w)]
    phones = [n for n in numbers if n.count("-") >= 2 or (n.isdigit() and len(n) == 5)]
    assert phones and all(p in spanish for p in phones), (phones, spanish)


def test_las_vegas_in_spanish() -> None:
    text = answer("las vegas", "es")
    assert text.startswith("Lugares cerca de Las Vegas, NV:")
    assert "Edades 12-18" in text and "Llama para pedir la direccion" in text


def test_outside_our_areas_in_spanish_gives_the_national_lines() -> None:
    text = answer("fresno", "es")
    assert text.startswith("Aun no tengo lugares cerca de Fresno, CA.")
    assert "Manda SAFE" in text and "llama al 1-800-786-2929" in text


def test_unknown_place_in_spanish() -> None:
    assert places_answer(None, None, language="es").startswith("No se donde estas")
