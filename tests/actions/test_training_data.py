"""The NLU data reads like real texts and is varied enough to learn from: at least 40 examples
for each core intent, and no two examples of an intent that differ only in one word."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
# Small helper intents (yes, no, "another one", "for me"...) need fewer examples.
HELPER_INTENTS = {"affirm", "deny", "ask_more", "stop_chat", "inform_who"}
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]+\})")


def plain(example: str) -> str:
    """The text a person typed: entity annotations removed."""
    return ANNOTATION.sub(r"\1", example).strip()


def examples_by_intent() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(NLU_DIR.rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                lines = [ln[2:] for ln in block["examples"].splitlines() if ln.startswith("- ")]
                out.setdefault(block["intent"], []).extend(plain(ln) for ln in lines)
    return out


EXAMPLES = examples_by_intent()


def domain_intents() -> list[str]:
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    return list(domain["intents"])


@pytest.mark.parametrize("intent", domain_intents())
def test_every_intent_has_enough_examples(intent):
    wanted = 20 if intent in HELPER_INTENTS else 40
    assert len(EXAMPLES.get(intent, [])) >= wanted, f"{intent}: {len(EXAMPLES.get(intent, []))}"


@pytest.mark.parametrize("intent", sorted(EXAMPLES))
def test_no_two_examples_differ_in_one_word_only(intent):
    near = []
    for a, b in itertools.combinations(EXAMPLES[intent], 2):
        wa, wb = a.lower().split(), b.lower().split()
        if (
            len(wa) == len(wb)
            and len(wa) > 1
            and sum(x != y for x, y in zip(wa, wb, strict=True)) <= 1
        ):
            near.append((a, b))
    assert not near, near


def test_no_example_is_in_two_intents():
    seen: dict[str, str] = {}
    clashes = []
    for intent, examples in EXAMPLES.items():
        for example in examples:
            key = example.lower()
            if key in seen and seen[key] != intent:
                clashes.append((example, seen[key], intent))
            seen[key] = intent
    assert not clashes, clashes


def test_examples_read_like_texts_not_prose():
    """Mostly lower case and without full stops, as people text (a few may have either)."""
    everything = [e for examples in EXAMPLES.values() for e in examples]
    capitalised = sum(e[:1].isupper() for e in everything)
    full_stops = sum(e.endswith(".") for e in everything)
    assert capitalised <= len(everything) * 0.02 and full_stops <= len(everything) * 0.02
