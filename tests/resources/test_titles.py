"""Choices are offered in the language the person writes in: every button title the assistant
can show has a Spanish title (resources/data/titles_es.yml) that fits a phone."""

from __future__ import annotations

import pytest

from resources.guide import load_guide
from resources.present import formats, localized_buttons, localized_title, main_menu, spanish_titles
from resources.spelling import for_sms, is_gsm7
from resources.wording import check_text


def every_title() -> set[str]:
    guide = load_guide()
    titles = {str(item["title"]) for item in formats()["menu"]}
    titles |= {b.title for b in guide.choices.values()}
    titles |= {p.title for e in guide.entries.values() for p in e.parts if p.title}
    return titles


@pytest.mark.parametrize("title", sorted(every_title()))
def test_every_title_has_a_spanish_title(title: str) -> None:
    assert title in spanish_titles(), f"add {title!r} to resources/data/titles_es.yml"


@pytest.mark.parametrize(("english", "spanish"), sorted(spanish_titles().items()))
def test_spanish_titles_are_short_gsm7_and_pass_the_checker(english: str, spanish: str) -> None:
    """Written with their accents (the web chat shows them); an SMS spells them in GSM-7."""
    assert english in every_title(), f"{english!r} is no longer a title anywhere"
    assert is_gsm7(for_sms(spanish)) and len(spanish) <= 32
    problems = check_text(f"titles_es[{english}]", spanish, language="es")
    assert not problems, "\n".join(map(str, problems))


def test_english_stays_english_and_spanish_gets_spanish() -> None:
    assert localized_title("Talk to a person", "en") == "Talk to a person"
    assert localized_title("Talk to a person", "es") == "Hablar con una persona"
    spanish = localized_buttons(main_menu(), "es")
    assert [b["payload"] for b in spanish] == [b["payload"] for b in main_menu()]
    assert spanish[0]["title"] == "Un lugar para quedarme"
