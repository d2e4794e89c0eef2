"""Scoring the crisis safety net against the labelled set in crisis_eval.yml.

Shared by the evaluation test (which asserts the figures and writes reports/crisis_eval.json) and
by bench/bench_safety_net.py (which replays the same messages for latency). The set's texts are
made up for testing; none is a real conversation, so they may appear in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sms_gateway.services.safety_net import PRIORITY, CrisisDetector, CrisisSignal

EVAL_PATH = Path(__file__).resolve().parent / "crisis_eval.yml"
LABELS = (*PRIORITY, "none")
LANGUAGES = ("en", "es")
# dev: tuned on; holdout...holdout_4: written before the lexicon saw them, run once, then kept;
# dialogue: the conversation test suite's messages, judged on their own words.
SPLITS = ("dev", "holdout", "holdout_2", "holdout_3", "holdout_4", "dialogue")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    language: str
    split: str


def load_examples(path: Path = EVAL_PATH) -> list[Example]:
    """Every example, checked: a typo in a label must fail loudly, not skew the figures."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for split in SPLITS:
        for row in data.get(split) or []:
            example = Example(str(row["text"]), row["label"], row["language"], split)
            if example.label not in LABELS:
                raise ValueError(f"unknown label {example.label!r}: {example.text!r}")
            if example.language not in LANGUAGES:
                raise ValueError(f"unknown language {example.language!r}: {example.text!r}")
            examples.append(example)
    texts = [e.text for e in examples]
    duplicates = {t for t in texts if texts.count(t) > 1}
    if duplicates:
        raise ValueError(f"duplicate examples: {sorted(duplicates)}")
    return examples


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _binary(pairs: list[tuple[Example, CrisisSignal | None]]) -> dict[str, Any]:
    """Crisis vs none: recall, precision and the counts behind them."""
    tp = sum(1 for e, s in pairs if e.label != "none" and s is not None)
    fn = sum(1 for e, s in pairs if e.label != "none" and s is None)
    fp = sum(1 for e, s in pairs if e.label == "none" and s is not None)
    tn = sum(1 for e, s in pairs if e.label == "none" and s is None)
    detected = [(e, s) for e, s in pairs if e.label != "none" and s is not None]
    return {
        "messages": len(pairs),
        "crisis": tp + fn,
        "none": fp + tn,
        "true_positives": tp,
        "false_negatives": fn,
        "false_positives": fp,
        "true_negatives": tn,
        "recall": _ratio(tp, tp + fn),
        "precision": _ratio(tp, tp + fp),
        "category_accuracy": _ratio(
            sum(1 for e, s in detected if s is not None and s.category == e.label), len(detected)
        ),
        "language_accuracy": _ratio(
            sum(1 for e, s in detected if s is not None and s.language == e.language),
            len(detected),
        ),
    }


def _per_category(pairs: list[tuple[Example, CrisisSignal | None]]) -> dict[str, Any]:
    """For each category: how many of its messages fired at all (recall), fired with the right
    category, and how many messages given that category really were it (precision)."""
    result = {}
    for category in PRIORITY:
        labelled = [(e, s) for e, s in pairs if e.label == category]
        predicted = [(e, s) for e, s in pairs if s is not None and s.category == category]
        result[category] = {
            "messages": len(labelled),
            "recall": _ratio(sum(1 for _, s in labelled if s is not None), len(labelled)),
            "category_recall": _ratio(
                sum(1 for _, s in labelled if s is not None and s.category == category),
                len(labelled),
            ),
            "predicted": len(predicted),
            "precision": _ratio(
                sum(1 for e, _ in predicted if e.label == category), len(predicted)
            ),
            "crisis_precision": _ratio(
                sum(1 for e, _ in predicted if e.label != "none"), len(predicted)
            ),
        }
    return result


def _confusion(pairs: list[tuple[Example, CrisisSignal | None]]) -> dict[str, dict[str, int]]:
    matrix = {label: dict.fromkeys(LABELS, 0) for label in LABELS}
    for example, signal in pairs:
        matrix[example.label][signal.category if signal else "none"] += 1
    return matrix


def _report(pairs: list[tuple[Example, CrisisSignal | None]]) -> dict[str, Any]:
    return {
        "overall": _binary(pairs),
        "per_category": _per_category(pairs),
        "per_language": {
            language: {
                **_binary([(e, s) for e, s in pairs if e.language == language]),
                "per_category": _per_category([(e, s) for e, s in pairs if e.language == language]),
            }
            for language in LANGUAGES
        },
        "confusion": _confusion(pairs),
    }


def evaluate(detector: CrisisDetector, examples: Iterable[Example]) -> dict[str, Any]:
    """Figures for all examples and for each split, plus every miss and false alarm."""
    pairs = [(e, detector.detect(e.text)) for e in examples]
    misses = [
        {"text": e.text, "label": e.label, "language": e.language, "split": e.split}
        for e, s in pairs
        if e.label != "none" and s is None
    ]
    false_alarms = [
        {"text": e.text, "predicted": s.category, "language": e.language, "split": e.split}
        for e, s in pairs
        if e.label == "none" and s is not None
    ]
    wrong_category = [
        {"text": e.text, "label": e.label, "predicted": s.category, "split": e.split}
        for e, s in pairs
        if e.label != "none" and s is not None and s.category != e.label
    ]
    wrong_language = [
        {"text": e.text, "language": e.language, "predicted": s.language, "split": e.split}
        for e, s in pairs
        if e.label != "none" and s is not None and s.language != e.language
    ]
    return {
        "all": _report(pairs),
        **{split: _report([(e, s) for e, s in pairs if e.split == split]) for split in SPLITS},
        "misses": misses,
        "false_alarms": false_alarms,
        "wrong_category": wrong_category,
        "wrong_language": wrong_language,
    }


def summary_lines(report: dict[str, Any]) -> list[str]:
    """A short table for the test output and the docs."""

    def fmt(value: float | None) -> str:
        return "  -  " if value is None else f"{value:.3f}"

    lines = []
    for split in ("all", *SPLITS):
        o = report[split]["overall"]
        lines.append(
            f"{split:8} n={o['messages']:3} crisis={o['crisis']:3} none={o['none']:3} "
            f"recall={fmt(o['recall'])} precision={fmt(o['precision'])} "
            f"category_acc={fmt(o['category_accuracy'])} "
            f"language_acc={fmt(o['language_accuracy'])}"
        )
    lines.append("per category (all):")
    for category, c in report["all"]["per_category"].items():
        lines.append(
            f"  {category:15} n={c['messages']:3} recall={fmt(c['recall'])} "
            f"category_recall={fmt(c['category_recall'])} precision={fmt(c['precision'])}"
        )
    lines.append("per language (all):")
    for language, o in report["all"]["per_language"].items():
        lines.append(
            f"  {language:15} n={o['messages']:3} recall={fmt(o['recall'])} "
            f"precision={fmt(o['precision'])} category_acc={fmt(o['category_accuracy'])}"
        )
    return lines


# -- cross-check against the assistant's own training examples ---------------------------------

NLU_DIR = Path(__file__).resolve().parents[2] / "bot" / "data" / "nlu"
# The assistant's intents that are the safety net's four categories (bot/data/nlu/crisis.yml).
CRISIS_INTENTS = {
    "in_danger": "danger",
    "suicidal_thoughts": "suicide",
    "self_harm": "self_harm",
    "sexual_assault": "sexual_assault",
}
_ENTITY_RE = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_cross_check(detector: CrisisDetector, nlu_dir: Path = NLU_DIR) -> dict[str, Any] | None:
    """How the detector does on the assistant's NLU examples, written by another hand for
    another purpose: crisis intents should fire, the rest should not. Reported, not asserted:
    those files belong to the assistant and change with it, and a few non-crisis examples are
    crises under this set's labelling policy ("my dad hits me because im gay")."""
    files = sorted(nlu_dir.rglob("*.yml")) if nlu_dir.is_dir() else []
    if not files:
        return None
    crisis_total = crisis_fired = other_total = other_fired = 0
    per_intent: dict[str, dict[str, int]] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            intent = item.get("intent")
            if not intent or not isinstance(item.get("examples"), str):
                continue
            for line in item["examples"].splitlines():
                text = _ENTITY_RE.sub(r"\1", line.strip().removeprefix("-").strip())
                if not text:
                    continue
                fired = detector.detect(text) is not None
                counts = per_intent.setdefault(intent, {"examples": 0, "fired": 0})
                counts["examples"] += 1
                counts["fired"] += fired
                if intent in CRISIS_INTENTS:
                    crisis_total += 1
                    crisis_fired += fired
                else:
                    other_total += 1
                    other_fired += fired
    return {
        "crisis_intent_examples": crisis_total,
        "crisis_intent_recall": _ratio(crisis_fired, crisis_total),
        "other_intent_examples": other_total,
        "other_intent_fire_rate": _ratio(other_fired, other_total),
        "per_intent": dict(sorted(per_intent.items())),
    }
