"""Builds Waypoint's own spaCy pipeline from code: no pretrained model is downloaded.

A blank English tokenizer, an entity ruler whose patterns (places we serve, US cities of the
states we cover, ZIP codes) come from resources/. Rasa loads the result by path (config.yml), so
the `location` entity is extracted by the same gazetteer the actions resolve against; and a
component that gives every token a lemma without accents (bot/nlp/fold_accents.py).

Run with the Rasa environment: `python -m bot.nlp.build_pipeline OUT_DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

from bot.nlp import fold_accents
from resources import entity_ruler_patterns

PIPELINE_NAME = "waypoint_en"


def build(out_dir: Path) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Waypoint: blank English + entity ruler for places (no weights)"
    ruler = nlp.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    )
    ruler.add_patterns(entity_ruler_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe(fold_accents.NAME)  # lemmas without accents (bot/nlp/fold_accents.py)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return nlp


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("build/spacy_pipeline")
    nlp = build(out)
    ruler = nlp.get_pipe("entity_ruler")
    print(f"spaCy pipeline written to {out} ({len(ruler)} location patterns)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
