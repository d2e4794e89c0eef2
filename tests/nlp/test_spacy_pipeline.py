"""Our own spaCy pipeline (built from code, no weights) finds the places people name, so Rasa's
SpacyEntityExtractor fills the `location` entity. Runs in the Rasa environment (spaCy 3.4)."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
import bot.nlp  # noqa: E402,F401  (registers the accent-folding component with spaCy)

PIPELINE = Path(__file__).resolve().parents[2] / "build" / "spacy_pipeline"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    if not (PIPELINE / "meta.json").exists():
        pytest.fail("build/spacy_pipeline missing: run `make model` first")
    return spacy.load(PIPELINE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i need a shelter, im in las vegas", "las vegas"),
        ("safe place near 89502", "89502"),
        ("place to stay 89119", "89119"),
        ("i need a shelter im in fresno", "fresno"),
        ("im by the strip", "the strip"),
        ("somewhere to stay in north las vegas", "north las vegas"),
        ("downtown reno", "downtown reno"),
    ],
)
def test_places_are_location_entities(nlp, text, expected):  # type: ignore[no-untyped-def]
    ents = [(e.text.lower(), e.label_) for e in nlp(text).ents]
    assert (expected, "location") in ents, ents


def test_no_weights_and_no_places_in_plain_words(nlp):  # type: ignore[no-untyped-def]
    assert nlp.pipe_names == ["entity_ruler", "waypoint_fold_accents"]
    assert list(nlp("i need help and a safe place to stay").ents) == []


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("¿Qué más?", ["¿", "que", "mas", "?"]),
        ("MAMÁ, ¿dónde está?", ["mama", ",", "¿", "donde", "esta", "?"]),
        ("tengo 15 años", ["tengo", "15", "años"]),  # ñ is a letter of its own
    ],
)
def test_lemmas_have_no_accents(nlp, text, lemmas):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    assert [t.lemma_ for t in doc] == lemmas and doc.text == text
