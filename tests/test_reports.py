"""The committed NLU cross-validation report (`make crossval`) describes the training data in
the tree: its hash matches config.yml + bot/data/nlu, and its figures meet the target. A change to
the data without a new report fails `make test`."""

from __future__ import annotations

import json

import pytest

from reports.nlu_crossval import REPORT, TARGET_MACRO_F1, TARGETS, examples_per_intent, inputs_hash


def report() -> dict:  # type: ignore[type-arg]
    assert REPORT.exists(), "no reports/nlu_crossval.json: run `make crossval`"
    return json.loads(REPORT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_crossval_report_describes_the_current_training_data():
    assert report()["inputs_sha256"] == inputs_hash(), (
        "config.yml or bot/data changed since reports/nlu_crossval.json was written: "
        "run `make crossval` and commit the report with the data"
    )


def test_macro_intent_f1_meets_the_target():
    data = report()
    assert data["folds"] == 5
    assert data["macro_f1"] >= TARGET_MACRO_F1, data["macro_f1"]


def test_the_report_covers_every_intent_with_enough_examples():
    data = report()
    assert set(data["per_intent"]) == set(data["examples_per_intent"])
    assert min(data["examples_per_intent"].values()) >= 20


# What each language has reached (2026-12-01: English 0.921, Spanish 0.918): a change to the data
# or the pipeline that loses ground fails here, whatever the target says.
FLOORS = {"en": 0.915, "es": 0.91}


def test_each_language_keeps_what_it_reached():
    languages = report()["languages"]
    for language, floor in FLOORS.items():
        assert languages[language]["macro_f1"] >= floor, (language, languages[language])


@pytest.mark.xfail(
    strict=True,
    reason="issue 9 open: English under 0.95, Spanish under 0.92 (reports/nlu_crossval.json)",
)
def test_each_language_meets_its_target():
    """English at least 0.95 and Spanish at least 0.92, measured separately (issue 9). Strict:
    when the targets are met this passes, and the xfail mark must go."""
    languages = report()["languages"]
    for language, target in TARGETS.items():
        assert languages[language]["macro_f1"] >= target, (language, languages[language])


def test_every_intent_has_spanish_examples():
    spanish = examples_per_intent("es")
    assert set(examples_per_intent()) == set(spanish), set(examples_per_intent()) - set(spanish)
