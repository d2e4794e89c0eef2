"""A young person who says they ran away or left home, and where they are, gets the places there
too: after the emergency options when the message was a crisis (bot/actions/basics.py
ActionOfferPerson), and after the runaway answer otherwise (bot/actions/replies.py places_too).
Without a place named, or from a parent, nothing is added."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions.basics import ActionOfferPerson
from bot.actions.fallback import ActionHandleFallback
from bot.actions.topics import ActionAnswerTopic
from resources.replies import render
from tests.actions.conftest import make_tracker, texts, user_event

TOLD = (
    "tengo 12, me fui de la casa xq mi padrastro me pega bien feo, ando en el centro de las vegas"
)


def _crisis(said: str, language: str, **slots: object):  # type: ignore[no-untyped-def]
    event = {**user_event("in_danger", said)}
    event["metadata"] = {"safety_net": "danger", "safety_net_about": "self"}
    meta = {"channel": "sms", "language": language, "safety_net": "danger"}
    return make_tracker(said, "in_danger", slots=dict(slots), metadata=meta, events=[event])


def test_after_the_danger_reply_a_youth_who_left_home_gets_the_places_there(dispatcher, domain):
    asyncio.run(ActionOfferPerson().run(dispatcher, _crisis(TOLD, "es"), domain))
    sent = texts(dispatcher)
    assert len(sent) == 2
    assert "Las Vegas" in sent[0] or "Henderson" in sent[0]
    assert sent[-1] == render("offer_person", "sms", "es")


def test_without_a_place_or_from_a_parent_only_the_offer(dispatcher, domain):
    said = "me fui de la casa xq mi padrastro me pega"
    asyncio.run(ActionOfferPerson().run(dispatcher, _crisis(said, "es"), domain))
    assert texts(dispatcher) == [render("offer_person", "sms", "es")]
    dispatcher.messages.clear()
    said = "my daughter ran away, her stepdad hits her, shes in las vegas"
    parent = _crisis(said, "en", who_is_asking="someone_else")
    asyncio.run(ActionOfferPerson().run(dispatcher, parent, domain))
    assert texts(dispatcher) == [render("offer_person", "sms", "en")]


def test_the_runaway_answer_with_a_place_brings_the_places(dispatcher, domain):
    said = "i ran from my group home, im in reno by the bus station"
    tracker = make_tracker(said, "running_away", events=[user_event("running_away", said)])
    asyncio.run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    sent = texts(dispatcher)
    assert len(sent) >= 2
    assert any("Reno" in text for text in sent[1:])


@pytest.mark.parametrize(
    ("intent", "action"),
    [("nlu_fallback", ActionHandleFallback), ("running_away", ActionAnswerTopic)],
)
def test_a_crisis_read_as_another_intent_still_brings_the_places(
    dispatcher, domain, intent, action
):
    """The gateway's safety net answered; the classifier missed the message (fallback) or read
    it as running away: the places there, then the offer of a person, either way."""
    said = "me fui de mi casa xq mi padrastro me pega, estoy en north las vegas"
    tracker = _crisis(said, "es")
    tracker.latest_message["intent"] = {"name": intent, "confidence": 0.5}
    asyncio.run(action().run(dispatcher, tracker, domain))
    sent = texts(dispatcher)
    assert len(sent) == 2 and "Las Vegas" in sent[0]
    assert sent[-1] == render("offer_person", "sms", "es")
