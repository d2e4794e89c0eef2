"""A blind held-out NLU figure: the trained model (models/waypoint.tar.gz) on examples written by
someone who never saw our training data, tests or answers (tests/nlu_heldout/*.yml), never
trained on. Prints and writes reports/nlu_heldout.json (accuracy and macro F1 per language).

Run in the Rasa environment after `make model`:
    PYTHONPATH=. .venv-rasa/bin/python reports/nlu_heldout.py
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "nlu_heldout"
OUT = ROOT / "reports" / "nlu_heldout.json"


def heldout() -> list[tuple[str, str, str]]:
    """(intent, text, language) for every held-out example."""
    out = []
    for path in sorted(HELDOUT.glob("*.yml")):
        language = "es" if path.stem.endswith("_es") else "en"
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    out.append((block["intent"], line.strip()[2:], language))
    return out


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    intents = sorted({t for t, _ in pairs})
    scores = []
    for intent in intents:
        tp = sum(1 for t, p in pairs if t == p == intent)
        fp = sum(1 for t, p in pairs if t != intent and p == intent)
        fn = sum(1 for t, p in pairs if t == intent and p != intent)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


async def main() -> None:
    from rasa.core.agent import Agent

    import bot.nlp.intent_classifier  # noqa: F401  (registers our classifier)

    agent = Agent.load(str(ROOT / "models" / "waypoint.tar.gz"))
    result: dict[str, dict[str, object]] = {}
    rows = heldout()
    predicted = [(await agent.parse_message(text))["intent"]["name"] for _, text, _ in rows]
    for language in ("en", "es"):
        pairs = [
            (i, p) for (i, _, lang), p in zip(rows, predicted, strict=True) if lang == language
        ]
        wrong: dict[str, int] = {}
        for i, p in pairs:
            if i != p:
                wrong[f"{i} -> {p}"] = wrong.get(f"{i} -> {p}", 0) + 1
        result[language] = {
            "examples": len(pairs),
            "accuracy": round(sum(i == p for i, p in pairs) / len(pairs), 4),
            "macro_f1_over_heldout_intents": round(macro_f1(pairs), 4),
            "worst": sorted(wrong.items(), key=lambda kv: -kv[1])[:8],
        }
        print(language, result[language])
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
