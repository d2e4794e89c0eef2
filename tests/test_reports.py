"""The committed NLU cross-validation report (`make crossval`) describes the training data in
the tree: its hash matches config.yml + bot/data/nlu, and its figures meet the target. A change to
the data without a new report fails `make test`."""

from __future__ import annotations

import json

from reports.nlu_crossval import REPORT, TARGET_MACRO_F1, inputs_hash


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
