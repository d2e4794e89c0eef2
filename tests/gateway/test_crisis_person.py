"""Whose crisis a message tells of (resources/crisis_person.py through the safety net): a parent
who writes "my son talks about ending his life" gets the reply for someone worried about another
person (911 first, 988 for them or for you); the person at risk, and anyone the words leave
unclear, gets the reply written for the person at risk."""

from __future__ import annotations

import re

import pytest

from resources.replies import load_replies, render
from sms_gateway.services.safety_net import default_detector
from sms_gateway.services.turns import crisis_messages, crisis_reply_id

OTHER_PERSON = [
    ("my son talks about ending his life", "suicide"),
    ("i think she wants to kill herself", "suicide"),
    ("my kid keeps saying he wants to die", "suicide"),
    ("my friend said she wants to die", "suicide"),
    ("a kid in my class said he wants to kill himself", "suicide"),
    ("my student told me she wants to die", "suicide"),
    ("shes talking about suicide", "suicide"),
    ("my daughter tried to overdose", "suicide"),
    ("my daughter cuts herself", "self_harm"),
    ("she is cutting herself", "self_harm"),
    ("mi hijo dice q ya no kiere vivir", "suicide"),
    ("mi amiga dice que se quiere morir", "suicide"),
    ("mi hija intento suicidarse", "suicide"),
    ("mi hija se corta", "self_harm"),
]
OWN = [
    ("im gonna kill myself", "suicide"),
    ("i want to die", "suicide"),
    ("i wanna die", "suicide"),
    ("i dont want to live anymore", "suicide"),
    ("i took a bunch of pills", "suicide"),
    ("i think my daughter tried to overdose", "suicide"),  # unclear: the reply for the person
    ("ya no quiero vivir", "suicide"),
    ("no kiero vivir", "suicide"),
    ("quiero morirme", "suicide"),
    ("me corto los brazos", "self_harm"),
    ("i overdosed because of him", "suicide"),
    # Spanish "son" (they are) is not English "son"; "see", spelt "se", is not Spanish "se".
    ("cuantas pastillas de clonazepam son mortales", "suicide"),
    ("i dont see a reason to keep going", "suicide"),
]


@pytest.mark.parametrize(
    ("text", "category", "whose"),
    [(t, c, "other") for t, c in OTHER_PERSON] + [(t, c, "self") for t, c in OWN],
)
def test_whose_crisis_picks_the_reply(text, category, whose):
    """Someone else's crisis gets the reply for someone worried; the person's own (and an
    unclear one) the reply for them."""
    signal = default_detector().detect(text)
    assert signal is not None and signal.category == category
    assert signal.about == whose
    suffix = "_other" if whose == "other" else ""
    assert crisis_reply_id(signal) == f"crisis_{category}{suffix}"


def test_danger_keeps_its_one_reply_whoever_it_is_about():
    signal = default_detector().detect("my daughter is with him and he has a gun")
    assert signal is not None and signal.category == "danger"
    assert crisis_reply_id(signal) == "crisis_danger"


@pytest.mark.parametrize("reply_id", [r for r in load_replies() if r.endswith("_other")])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_reply_for_someone_worried_leads_with_911(reply_id, language):
    text = render(reply_id, "sms", language)
    first_number = re.search(r"\d[\d-]*\d", text)
    assert first_number is not None and first_number.group() == "911"
    if reply_id != "crisis_danger_other":  # suicide and self-harm: 988, for them or for you
        assert "988" in text
    base = reply_id.removesuffix("_other")
    assert base in load_replies()


def test_the_web_gets_the_same_words():
    signal = default_detector().detect("mi hija se corta")
    assert signal is not None
    [message] = crisis_messages(signal, "web")
    assert message.text == render("crisis_self_harm_other", "web", "es")
