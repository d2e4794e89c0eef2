"""Every crisis example of the assistant's NLU data fires, with a category its intent allows.

The safety net is what answers when the assistant is down, so it must know at least what the
assistant was taught to recognise as a crisis: the examples of the four crisis intents in
bot/data/nlu/crisis.yml and bot/data/nlu/es/crisis.yml (read at test time: those files belong to
the assistant, and a new example that does not fire fails here, so that the lexicon learns its
family of phrasing; docs/safety_net.md, "Adding a phrase").
"""

from __future__ import annotations

import pytest

from sms_gateway.services.safety_net import CrisisSignal, default_detector
from tests.safety_net.evaluation import CRISIS_INTENTS, NLU_DIR
from tests.safety_net.variant_eval import nlu_examples

# The first reply each intent may get. Self-harm may be answered as suicide only when the text
# says both; sexual assault as danger (its reply has 911 first), for an assault going on or a
# word that also tells of violence ("i was assaulted").
ALLOWED = {
    "in_danger": {"danger"},
    "suicidal_thoughts": {"suicide"},
    "self_harm": {"self_harm", "suicide"},
    "sexual_assault": {"sexual_assault", "danger"},
}
# Examples whose text, read the way the detector must read it, is another category. Each
# needs a reason; the list must stay short.
READ_AS = {
    # Without accents "me pego" is "I hit myself" and "me pegó", "he hit me": a belt is how
    # children are hit. Danger is the safer reading, and its reply carries 911 and 988.
    "me pego con el cinturon": "danger",
}
EXAMPLES = [(i, t) for i, t in nlu_examples(NLU_DIR) if i in CRISIS_INTENTS]


def _consistent(intent: str, text: str, signal: CrisisSignal) -> bool:
    if READ_AS.get(text) == signal.category:
        return True
    if signal.category not in ALLOWED[intent]:
        return False
    # "Self-harm, or suicide where the text says both": the self-harm reading is there too.
    return intent != "self_harm" or "self_harm" in signal.categories


def test_the_assistants_crisis_examples_are_read() -> None:
    """The cross-check reads both languages' files (a path or format change must not turn this
    test into one that checks nothing)."""
    assert len(EXAMPLES) >= 500
    assert {i for i, _ in EXAMPLES} == set(CRISIS_INTENTS)
    assert any("quiero" in t for _, t in EXAMPLES)


@pytest.mark.parametrize("intent", sorted(CRISIS_INTENTS))
def test_every_crisis_example_fires_with_a_consistent_category(intent: str) -> None:
    detect = default_detector().detect
    missed, wrong = [], []
    for example_intent, text in EXAMPLES:
        if example_intent != intent:
            continue
        signal = detect(text)
        if signal is None:
            missed.append(text)
        elif not _consistent(intent, text, signal):
            wrong.append(f"{signal.category} {signal.categories}: {text}")
    assert not missed, "crisis examples that do not fire:\n  " + "\n  ".join(missed)
    assert not wrong, "crisis examples with a category their intent does not allow:\n  " + (
        "\n  ".join(wrong)
    )
