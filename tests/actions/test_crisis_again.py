"""After the emergency options, the answer to a follow-up ("what if he comes back tonight",
"what if no one comes", "y si mejor le yamo yo al 988 por ella?") ends with that crisis's own
line, once after each crisis, and only when the answer did not give that line itself."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionHandleFallback
from bot.actions.topics import ActionAnswerTopic
from resources.guide_answers import answer
from resources.replies import render
from tests.actions.conftest import make_tracker, texts, user_event


def _events(crisis: str | None, said: list[str], bot_said: list[str] = ()) -> list[Any]:
    first = user_event("in_danger", "the message the safety net answered")
    if crisis:
        first["metadata"] = {"safety_net": crisis, "safety_net_about": "self"}
    events = [first]
    events += [{"event": "bot", "text": t} for t in bot_said]
    events += [user_event("x", s) for s in said]
    return events


def _run(action: Any, said: str, intent: str, events: list[Any], language: str = "en") -> list[str]:
    dispatcher = CollectingDispatcher()
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(said, intent, metadata=meta, events=events)
    asyncio.run(action.run(dispatcher, tracker, {}))
    return texts(dispatcher)


@pytest.mark.parametrize(
    ("crisis", "said", "intent", "action", "language"),
    [
        ("danger", "what if he comes back tonight", "safety_ideas", ActionAnswerTopic(), "en"),
        ("suicide", "what if no one comes", "nlu_fallback", ActionHandleFallback(), "en"),
        (
            "suicide",
            "y si mejor le yamo yo al 988 por ella?",
            "worried_about_friend",
            ActionAnswerTopic(),
            "es",
        ),
    ],
)
def test_the_crisis_line_follows_the_answer(crisis, said, intent, action, language):
    sent = _run(action, said, intent, _events(crisis, [said]), language)
    assert len(sent) >= 2
    assert sent[-1] == render(f"crisis_again_{crisis}", "sms", language)


def test_once_after_each_crisis():
    again = render("crisis_again_danger", "sms", "en")
    events = _events("danger", ["ok", "what if he comes back tonight"], bot_said=[again])
    sent = _run(ActionAnswerTopic(), "what if he comes back tonight", "safety_ideas", events)
    assert again not in sent


@pytest.mark.parametrize("crisis", [None, "danger"])
def test_not_without_a_recent_crisis_nor_on_the_crisis_message(crisis):
    said = "what if he comes back tonight"
    # A crisis four messages back is no longer "that crisis"; no crisis at all, nothing.
    events = _events(crisis, ["a", "b", "c", "d", said]) if crisis else _events(None, [said])
    sent = _run(ActionAnswerTopic(), said, "safety_ideas", events)
    assert render("crisis_again_danger", "sms", "en") not in sent
    # The message the safety net answered itself: the gateway sent the whole crisis reply.
    flagged = make_tracker(
        said, "safety_ideas", metadata={"channel": "sms", "language": "en", "safety_net": "danger"}
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerTopic().run(dispatcher, flagged, {}))
    assert render("crisis_again_danger", "sms", "en") not in texts(dispatcher)


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("y si mejor le yamo yo al 988 por ella?", "es"),
        ("should i call 988 for her myself", "en"),
        ("ella no quiere q le diga a nadie", "es"),
        ("she made me promise not to tell anyone", "en"),
    ],
)
def test_calling_for_a_friend_in_crisis_gets_what_a_helper_can_do(said, language):
    """After a friend's suicidal thoughts, "should I call 988 for her?" and "she made me promise
    not to tell" are answered (988 helps people worried about someone; telling a trusted adult
    is okay even then), not by the friend answer again."""
    first = user_event("worried_about_friend", "mi amiga se quiere matar")
    first["metadata"] = {"safety_net": "suicide", "safety_net_about": "other"}
    events = [first, user_event("worried_about_friend", said)]
    sent = _run(ActionAnswerTopic(), said, "worried_about_friend", events, language)
    assert sent[0] == answer("someone_in_crisis", None, "sms", language).text
    # Without that crisis before it, the friend answer stays.
    alone = _run(ActionAnswerTopic(), said, "worried_about_friend", events[1:], language)
    assert alone[0] != sent[0]
