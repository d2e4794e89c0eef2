"""`make crossval`: 5-fold cross-validation of the NLU model (Rasa environment, several minutes).

Writes two committed files:
- reports/nlu_crossval.json: macro intent F1, per-intent figures, examples per intent, the worst
  confusion pairs, and the hash of the inputs it describes (config.yml + bot/data);
- reports/nlu_confusions.md: the same figures for people.

tests/test_reports.py fails when the hash no longer matches the data, so `make test` fails on a
stale report: change the NLU data, rerun `make crossval`, commit the report with the data.
Only the standard library here, so the gateway environment's tests can import `inputs_hash`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Rules and stories do not change NLU scores, so only the NLU data and the config count.
INPUTS = ("config.yml", "bot/data/nlu")
REPORT = ROOT / "reports" / "nlu_crossval.json"
SUMMARY = ROOT / "reports" / "nlu_confusions.md"
TARGET_MACRO_F1 = 0.92
FOLDS = 5


def inputs_hash(root: Path = ROOT) -> str:
    """SHA-256 over the path and bytes of every file the report describes (line endings as
    stored, files in path order)."""
    digest = hashlib.sha256()
    for rel in INPUTS:
        base = root / rel
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def run_crossval(out: Path, folds: int) -> float:
    rasa = Path(sys.executable).with_name("rasa")
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    started = time.monotonic()
    log = out / "crossval.log"
    with log.open("w") as handle:
        command = [str(rasa), "test", "nlu", "--nlu", "bot/data/nlu", "--config", "config.yml"]
        command += ["--cross-validation", "--folds", str(folds), "--out", str(out)]
        result = subprocess.run(  # noqa: S603 - our own Rasa executable, fixed arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        print("\n".join(log.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
        raise SystemExit("rasa test nlu --cross-validation failed")
    return time.monotonic() - started


def examples_per_intent() -> dict[str, int]:
    counts: dict[str, int] = {}
    intent = None
    for path in sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- intent:"):
                intent = stripped.split(":", 1)[1].strip()
            elif stripped.startswith(("- lookup:", "- synonym:", "- regex:")):
                intent = None
            elif intent and stripped.startswith("- ") and not stripped.startswith("- intent"):
                counts[intent] = counts.get(intent, 0) + 1
    return dict(sorted(counts.items()))


def summarise(intent_report: dict[str, Any], seconds: float, folds: int) -> dict[str, Any]:
    per_intent = {
        name: {
            "precision": round(v["precision"], 4),
            "recall": round(v["recall"], 4),
            "f1": round(v["f1-score"], 4),
            "support": v["support"],
        }
        for name, v in sorted(intent_report.items())
        if isinstance(v, dict) and "confused_with" in v
    }
    pairs = [
        {"intent": name, "predicted": other, "count": count}
        for name, v in intent_report.items()
        if isinstance(v, dict)
        for other, count in (v.get("confused_with") or {}).items()
    ]
    pairs.sort(key=lambda p: (-p["count"], p["intent"], p["predicted"]))
    macro = intent_report["macro avg"]["f1-score"]
    return {
        "what": f"{folds}-fold NLU cross-validation (rasa test nlu --cross-validation)",
        "inputs": list(INPUTS),
        "inputs_sha256": inputs_hash(),
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "folds": folds,
        "seconds": round(seconds),
        "macro_f1": round(macro, 4),
        "weighted_f1": round(intent_report["weighted avg"]["f1-score"], 4),
        "accuracy": round(intent_report.get("accuracy", 0.0), 4),
        "target_macro_f1": TARGET_MACRO_F1,
        "examples_per_intent": examples_per_intent(),
        "worst_confusions": pairs[:15],
        "per_intent": per_intent,
    }


def write_summary(report: dict[str, Any]) -> None:
    lines = [
        "# NLU cross-validation",
        "",
        f"{report['what']}, {report['generated']}, {report['seconds']} s. Inputs: "
        f"{', '.join(report['inputs'])} (sha256 `{report['inputs_sha256'][:16]}...`).",
        "",
        f"**Macro intent F1: {report['macro_f1']:.3f}** (target {report['target_macro_f1']}); "
        f"weighted F1 {report['weighted_f1']:.3f}; accuracy {report['accuracy']:.3f}.",
        "",
        "## Worst confusion pairs (test folds)",
        "",
        "| intent | predicted as | times |",
        "|---|---|---|",
    ]
    lines += [
        f"| {p['intent']} | {p['predicted']} | {p['count']} |" for p in report["worst_confusions"]
    ]
    lines += [
        "",
        "## Per intent",
        "",
        "| intent | examples | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    for name, v in sorted(report["per_intent"].items(), key=lambda kv: kv[1]["f1"]):
        n = report["examples_per_intent"].get(name, 0)
        lines.append(f"| {name} | {n} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    SUMMARY.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    folds = int(argv[1]) if len(argv) > 1 else FOLDS
    with tempfile.TemporaryDirectory(prefix="waypoint-crossval-") as tmp:
        out = Path(tmp)
        seconds = run_crossval(out, folds)
        intent_report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    report = summarise(intent_report, seconds, folds)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_summary(report)
    print(f"macro intent F1 {report['macro_f1']:.3f} ({folds} folds, {report['seconds']} s)")
    print(f"wrote {REPORT.relative_to(ROOT)} and {SUMMARY.relative_to(ROOT)}")
    return 0 if report["macro_f1"] >= TARGET_MACRO_F1 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
