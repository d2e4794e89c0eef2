"""A message the classifier cannot read right after the emergency options ("ok hes gone now i
think") gets the choices open to a young person now, never "sorry, I didn't get that"; a miss
with no crisis before it still gets the first repair question."""

from __future__ import annotations

import asyncio

from bot.actions.fallback import ActionHandleFallback
from resources.guide_answers import answer
from resources.replies import render
from tests.actions.conftest import make_tracker, texts, user_event


def _after(said: str, crisis: bool) -> object:
    before = {**user_event("in_danger", "hes outside my door and im scared")}
    if crisis:
        before["metadata"] = {"safety_net": "danger", "safety_net_about": "self"}
    events = [before, user_event("nlu_fallback", said)]
    return make_tracker(said, "nlu_fallback", events=events)


def test_a_miss_right_after_the_danger_reply_gets_the_choices(dispatcher, domain):
    asyncio.run(
        ActionHandleFallback().run(dispatcher, _after("ok hes gone now i think", True), domain)
    )
    assert texts(dispatcher)[0] == answer("youth_next_steps", "youth", "sms", "en").text


def test_a_miss_with_no_crisis_before_it_gets_the_repair_question(dispatcher, domain):
    asyncio.run(
        ActionHandleFallback().run(dispatcher, _after("ok hes gone now i think", False), domain)
    )
    assert texts(dispatcher)[0] == render("fallback_first", "sms", "en")
