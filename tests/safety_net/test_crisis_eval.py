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
from tests.safety_net.variant_eval import (
    ORDINARY_PATH,
    load_ordinary,
    ordinary_variant_report,
    precision_report,
    variant_report,
)

REPORT_PATH = Path(__file__).resolve().parents[2] / "reports" / "crisis_eval.json"
# The bar on ordinary messages: at most 3 alarms in 100 crisis replies, and at most 3 ordinary
# messages in 100 answered as crises (docs/safety_net.md).
MIN_PRECISION = 0.97


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    detector = CrisisDetector()
    examples = load_examples()
    result = evaluate(detector, examples)
    result["nlu_cross_check"] = nlu_cross_check(detector)
    ordinary, relabelled = load_ordinary(examples)
    crises = [e for e in examples if e.label != "none"] + relabelled
    result["with_ordinary_messages"] = precision_report(detector.detect, crises, ordinary)
    result["variants"] = variant_report(detector)
    result["ordinary_variants"] = ordinary_variant_report(detector.detect, ordinary)
    result["inputs"] = {
        "eval_set": EVAL_PATH.name,
        "eval_set_sha256": _digest(EVAL_PATH),
        "ordinary_set": ORDINARY_PATH.name,
        "ordinary_set_sha256": _digest(ORDINARY_PATH),
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
    lines.extend(_more_lines(result))
    lines.append(f"report: {REPORT_PATH}")
    conftest.SUMMARY[:] = lines
    print("\n".join(lines))
    return result


def _more_lines(result: dict[str, Any]) -> list[str]:
    w = result["with_ordinary_messages"]
    v = result["variants"]
    o = result["ordinary_variants"]
    lines = [
        f"with ordinary messages: crises={w['overall']['crisis']} ordinary={w['overall']['none']}"
        f" recall={w['overall']['recall']} precision={w['overall']['precision']}"
        f" ordinary false-alarm rate={w['ordinary_false_alarm_rate']}",
        *(
            f"  {lang}: precision={f['precision']} recall={f['recall']} n={f['messages']}"
            for lang, f in w["per_language"].items()
        ),
        f"variants: {v['variants']} from {v['bases_tested']} lexicon texts,"
        f" recall={v['recall']} misses={v['misses']}",
        *(f"  {k}: recall={r['rate']} n={r['n']}" for k, r in v["recall_per_language"].items()),
        f"ordinary variants: {o['variants']}, false-alarm rate={o['false_alarm_rate']}"
        f" (new alarms: {o['new_false_alarm_rate']})",
    ]
    return lines


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


def test_every_variant_of_every_lexicon_entry_fires(report: dict[str, Any]) -> None:
    variants = report["variants"]
    misses = "\n".join(f"  {m['family']:15} {m['text']}" for m in variants["misses_listed"])
    assert variants["variants"] >= 20_000
    assert variants["recall"] == 1.0, f"missed variants:\n{misses}"
    for language in ("en", "es"):
        assert variants["recall_per_language"][language]["rate"] == 1.0


def test_only_texts_covered_by_a_hard_negative_are_left_out(report: dict[str, Any]) -> None:
    """A lexicon text that does not fire is a bug, unless an everyday hard negative covers it
    ("tried to kill it all" holds "kill it")."""
    left_out = report["variants"]["bases_not_firing"]
    assert all(b["suppressed"] for b in left_out), left_out
    assert len(left_out) <= 5


@pytest.mark.parametrize("language", ["all", "en", "es"])
def test_ordinary_messages_are_answered_as_ordinary(report: dict[str, Any], language: str) -> None:
    """At least 97% of ordinary messages (the eval set's, the assistant's non-crisis NLU
    examples, the hard negatives) get no crisis reply, in each language; every crisis still
    fires. Precision against the hand-written crises is reported alongside (docs)."""
    figures = report["with_ordinary_messages"]
    overall = figures["overall"] if language == "all" else figures["per_language"][language]
    alarms = "\n".join(f"  {a['predicted']:14} {a['text']}" for a in figures["false_alarms"])
    assert overall["recall"] == 1.0
    assert overall["false_positives"] / overall["none"] <= 1 - MIN_PRECISION, alarms


@pytest.mark.parametrize("language", ["all", "en", "es"])
def test_precision_against_the_ordinary_corpus(report: dict[str, Any], language: str) -> None:
    """The bar, in each language: of the messages answered as crises (the hand-written crises,
    NLU examples relabelled as crises, and every ordinary message that fires), at least 97% are
    crises, and every crisis fires. Relabelling follows the written policy in ordinary.yml."""
    figures = report["with_ordinary_messages"]
    overall = figures["overall"] if language == "all" else figures["per_language"][language]
    alarms = "\n".join(
        f"  {a['language']} {a['predicted']:14} {a['text']}"
        for a in figures["false_alarms"]
        if language in ("all", a["language"])
    )
    assert overall["recall"] == 1.0
    assert overall["precision"] >= MIN_PRECISION, f"false alarms:\n{alarms}"


def test_precision_on_the_labelled_set(report: dict[str, Any]) -> None:
    for figures in (report["all"]["overall"], *report["all"]["per_language"].values()):
        assert figures["precision"] >= MIN_PRECISION


def test_misspelling_an_ordinary_message_rarely_makes_it_a_crisis(report: dict[str, Any]) -> None:
    figures = report["ordinary_variants"]
    assert figures["variants"] >= 3_000
    assert figures["new_false_alarm_rate"] <= 1 - MIN_PRECISION
