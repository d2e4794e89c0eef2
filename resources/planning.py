"""The questions and words of thinking a plan through (resources/data/planning.yml).

Data, not code: the order of the questions, what the advocate's console calls each answer, the
whole-message words that mean yes, no, skip, stop or go on, and the expressions that ask for
the plan to be sent back, deleted or started, in English and Spanish as people text them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PATH = Path(__file__).parent / "data" / "planning.yml"
WORDS = ("yes", "no", "not_sure", "skip", "done", "go_on")
ASKS = ("send_back", "delete", "start", "done", "aside")
_NOT_WORD = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Step:
    id: str
    reply: str  # the question's text (replies_plan.yml)
    kind: str  # "free" (any answer) or "yes_no"
    label: dict[str, str]  # what the console calls the answer, by language


@dataclass(frozen=True)
class Planning:
    steps: tuple[Step, ...]
    words: dict[str, frozenset[str]]
    asks: dict[str, tuple[re.Pattern[str], ...]]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def after(self, step_id: str | None) -> Step | None:
        """The question after `step_id` (the first one for None); None after the last."""
        if step_id is None:
            return self.steps[0]
        ids = [s.id for s in self.steps]
        index = ids.index(step_id) + 1 if step_id in ids else len(ids)
        return self.steps[index] if index < len(ids) else None

    def word(self, text: str) -> str | None:
        """Which of WORDS the whole message is ("Sí!" -> "yes"), if any."""
        plain = plain_words(text)
        return next((name for name in WORDS if plain in self.words[name]), None)

    def asks_for(self, text: str) -> str | None:
        """Which of ASKS the message is about ("can u text me my plan" -> "send_back")."""
        plain = plain_words(text)
        return next((name for name in ASKS if any(p.search(plain) for p in self.asks[name])), None)


def plain_words(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "¿Sí, MÁNDAME mi plan?" ->
    "si mandame mi plan" (apostrophes go too: "don't" -> "dont")."""
    text = text.replace("\u2019", "").replace("'", "").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


@lru_cache(maxsize=1)
def load_planning(path: Path = PATH) -> Planning:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = tuple(
        Step(str(s["id"]), str(s["reply"]), str(s.get("kind", "free")), dict(s["label"]))
        for s in raw["steps"]
    )
    if not steps or len({s.id for s in steps}) != len(steps):
        raise ValueError("planning.yml: steps must be a non-empty list of unique ids")
    words = {name: frozenset(plain_words(w) for w in raw["words"][name]) for name in WORDS}
    asks = {name: tuple(re.compile(p) for p in raw["asks"][name]) for name in ASKS}
    return Planning(steps, words, asks)
