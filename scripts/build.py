"""Builds what the assistant needs, only when its inputs changed (run in the Rasa environment).

- the spaCy pipeline (build/spacy_pipeline) from bot/nlp and the resources gazetteer;
- the Rasa model (models/waypoint.tar.gz) from config.yml, bot/domain.yml, bot/data and the
  spaCy pipeline.

Each output keeps a content hash of its inputs next to it; a second `make run` with nothing
changed therefore starts without rebuilding or retraining.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE_DIR = ROOT / "build" / "spacy_pipeline"
MODEL = ROOT / "models" / "waypoint.tar.gz"

# Only what the entity ruler's patterns are made of (places and the words that are not places):
# a reply text changed in resources/data must not retrain the assistant.
PIPELINE_INPUTS = [
    "bot/nlp",
    "resources/data/gazetteer.yml",
    "resources/locations.py",
    "resources/models.py",
]
MODEL_INPUTS = ["config.yml", "bot/domain.yml", "bot/data", "build/spacy_pipeline"]


def content_hash(paths: list[str]) -> str:
    digest = hashlib.sha256()
    for rel in paths:
        base = ROOT / rel
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for file in files:
            if "__pycache__" in file.parts or file.name == ".inputs-hash":
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def up_to_date(stamp: Path, output: Path, wanted: str) -> bool:
    return output.exists() and stamp.exists() and stamp.read_text().strip() == wanted


def build_pipeline() -> bool:
    stamp = PIPELINE_DIR / ".inputs-hash"
    wanted = content_hash(PIPELINE_INPUTS)
    if up_to_date(stamp, PIPELINE_DIR / "meta.json", wanted):
        print("spaCy pipeline is up to date")
        return False
    subprocess.run(
        [sys.executable, "-m", "bot.nlp.build_pipeline", str(PIPELINE_DIR)], check=True, cwd=ROOT
    )
    stamp.write_text(wanted)
    return True


def train_model() -> None:
    stamp = MODEL.parent / ".inputs-hash"
    wanted = content_hash(MODEL_INPUTS)
    if up_to_date(stamp, MODEL, wanted):
        print("Rasa model is up to date (no retraining)")
        return
    print("Training the Rasa model (inputs changed)...", flush=True)
    started = time.monotonic()
    rasa = Path(sys.executable).with_name("rasa")
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    log_path = ROOT / "build" / "train.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        result = subprocess.run(
            [
                str(rasa),
                "train",
                "--config",
                "config.yml",
                "--domain",
                "bot/domain.yml",
                "--data",
                "bot/data",
                "--out",
                "models",
                "--fixed-model-name",
                "waypoint",
                "--force",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        print("\n".join(log_path.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
        raise SystemExit(f"rasa train failed (full log: {log_path})")
    stamp.write_text(wanted)
    elapsed = time.monotonic() - started
    (MODEL.parent / "training-seconds.txt").write_text(f"{elapsed:.1f}\n")
    print(f"Training took {elapsed:.0f} s")


def main() -> int:
    build_pipeline()
    train_model()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
