"""The crisis safety net against the labelled set (tests/safety_net/crisis_eval.yml).

Non-negotiable 1 ("Danger first") is the bar: every crisis message in the set must fire
(recall 1.0), without crying wolf so often that the urgent handoff queue becomes noise
(precision >= 0.9), and with the right category, so the first reply carries the right numbers
(category accuracy >= 0.9). The figures are printed in pytest's summary and written to
reports/crisis_eval.json (deterministic: no timestamp, so it changes only when figures do).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from sms_gateway.services.safety_net import LEXICON_PATH, CrisisDetector
from tests.safety_net import conftest
from tests.safety_net.evaluation import (
    EVAL_PATH,
    evaluate,
    load_examples,
    nlu_cross_check,
    summary_lines,
)

REPORT_PATH = Path(__file__).resolve().parents[2] / "reports" / "crisis_eval.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    detector = CrisisDetector()
    examples = load_examples()
    result = evaluate(detector, examples)
    result["nlu_cross_check"] = nlu_cross_check(detector)
    result["inputs"] = {
        "eval_set": EVAL_PATH.name,
        "eval_set_sha256": _digest(EVAL_PATH),
        "lexicon_sha256": _digest(LEXICON_PATH),
        "examples": len(examples),
    }
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    lines = summary_lines(result)
    cross = result["nlu_cross_check"]
    if cross:
        lines.append(
            f"assistant NLU examples: crisis intents fired {cross['crisis_intent_recall']} "
            f"(n={cross['crisis_intent_examples']}), other intents fired "
            f"{cross['other_intent_fire_rate']} (n={cross['other_intent_examples']})"
        )
    lines.append(f"report: {REPORT_PATH}")
    conftest.SUMMARY[:] = lines
    print("\n".join(lines))
    return result


def test_the_set_is_big_and_balanced_enough() -> None:
    examples = load_examples()
    assert len(examples) >= 300
    assert sum(e.label == "none" for e in examples) >= 120
    spanish = sum(e.language == "es" for e in examples) / len(examples)
    assert 0.25 <= spanish <= 0.45
    for category in ("danger", "suicide", "self_harm", "sexual_assault"):
        for language in ("en", "es"):
            assert any(e.label == category and e.language == language for e in examples)


def test_every_crisis_message_fires(report: dict[str, Any]) -> None:
    misses = "\n".join(f"  {m['label']:14} {m['text']}" for m in report["misses"])
    assert report["all"]["overall"]["recall"] == 1.0, f"missed crisis messages:\n{misses}"


def test_false_alarms_stay_rare(report: dict[str, Any]) -> None:
    alarms = "\n".join(f"  {m['predicted']:14} {m['text']}" for m in report["false_alarms"])
    assert report["all"]["overall"]["precision"] >= 0.9, f"false alarms:\n{alarms}"


def test_the_category_decides_the_right_first_reply(report: dict[str, Any]) -> None:
    wrong = "\n".join(
        f"  {m['label']} -> {m['predicted']}: {m['text']}" for m in report["wrong_category"]
    )
    assert report["all"]["overall"]["category_accuracy"] >= 0.9, f"wrong category:\n{wrong}"


def test_the_reply_comes_in_the_persons_language(report: dict[str, Any]) -> None:
    wrong = "\n".join(
        f"  {m['language']} -> {m['predicted']}: {m['text']}" for m in report["wrong_language"]
    )
    assert report["all"]["overall"]["language_accuracy"] >= 0.9, f"wrong language:\n{wrong}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_both_languages_meet_the_bar(report: dict[str, Any], language: str) -> None:
    figures = report["all"]["per_language"][language]
    assert figures["recall"] == 1.0
    assert figures["precision"] >= 0.9


def test_the_report_is_written(report: dict[str, Any]) -> None:
    written = json.loads(REPORT_PATH.read_text("utf-8"))
    assert written["all"]["overall"] == report["all"]["overall"]
    assert set(written["all"]["per_category"]) == {
        "danger",
        "suicide",
        "self_harm",
        "sexual_assault",
    }
