"""A parent, professional or friend who tells of someone else's suicidal thoughts or self-harm
gets what a person worried about someone can do (bot/actions/followups.py ActionWhatToDo,
safety.py ActionCrisis; guide.yml someone_in_crisis), never the next steps after
exploitation; a youth who tells of their own still gets the offer of a person."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.actions.fallback import ActionHandleFallback
from bot.actions.followups import ActionWhatToDo
from bot.actions.safety import ActionCrisis
from bot.actions.topics import ActionAnswerTopic
from resources.guide import load_guide
from resources.guide_answers import answer, pick_part
from resources.replies import render
from tests.actions.conftest import make_tracker, texts, user_event


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def _crisis_then(said: str, category: str, about: str, then: str) -> list[dict[str, Any]]:
    crisis = {**user_event("suicidal_thoughts", said)}
    crisis["metadata"] = {"safety_net": category, "safety_net_about": about}
    return [crisis, user_event("ask_what_to_do", then)]


@pytest.mark.parametrize(
    ("said", "category", "about", "then", "slots", "reader", "language"),
    [
        (
            "my son keeps talking about ending his life",
            "suicide",
            "other",
            "what do i do",
            {"who_is_asking": "someone_else"},
            "caregiver",
            "en",
        ),
        (
            "mi hija se corta los brazos",
            "self_harm",
            "other",
            "y ahora q hago",
            {},
            "caregiver",
            "es",
        ),
        (
            "a student told me she wants to kill herself",
            "suicide",
            "other",
            "what should i do",
            {},
            "professional",
            "en",
        ),
        (
            "i think my daughter tried to overdose",  # the safety net stays with "self" here
            "suicide",
            "self",
            "what do i do now",
            {},
            "caregiver",
            "en",
        ),
    ],
)
def test_what_to_do_after_someone_elses_crisis(
    dispatcher, domain, said, category, about, then, slots, reader, language
):
    events = _crisis_then(said, category, about, then)
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(then, "ask_what_to_do", slots=slots, metadata=meta, events=events)
    run(ActionWhatToDo().run(dispatcher, tracker, domain))
    expected = answer("someone_in_crisis", reader, "sms", language).text
    assert texts(dispatcher)[0] == expected
    assert texts(dispatcher)[0].index("911") < texts(dispatcher)[0].index("988")


def test_a_youth_after_their_own_crisis_is_offered_a_person(dispatcher, domain):
    events = _crisis_then("i dont want to be alive anymore", "suicide", "self", "what do i do")
    slots = {"last_answer": "reply:crisis_suicide"}
    tracker = make_tracker("what do i do", "ask_what_to_do", slots=slots, events=events)
    run(ActionWhatToDo().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("offer_person", "sms", "en")


def test_a_parent_who_says_it_is_about_themself_is_not_told_to_stay_with_them(dispatcher, domain):
    said = "honestly i want to kill myself too"
    events = _crisis_then(said, "suicide", "self", "what do i do")
    slots = {"who_is_asking": "someone_else", "last_answer": "reply:crisis_suicide"}
    tracker = make_tracker("what do i do", "ask_what_to_do", slots=slots, events=events)
    run(ActionWhatToDo().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("offer_person", "sms", "en")


def test_the_assistant_alone_answers_a_parent_with_the_reply_for_someone_else(dispatcher, domain):
    said = "my daughter says she doesnt see the point of living"
    events = [user_event("suicidal_thoughts", said)]
    tracker = make_tracker(said, "suicidal_thoughts", events=events)
    events_out = run(ActionCrisis().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("crisis_suicide_other", "sms", "en")
    assert {"event": "slot", "name": "last_answer", "value": "reply:crisis_suicide_other"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events_out
    ]


def test_the_assistant_answers_a_youth_with_the_reply_for_them(dispatcher, domain):
    said = "my mom doesnt know i want to die"
    tracker = make_tracker(said, "suicidal_thoughts", events=[user_event("x", said)])
    run(ActionCrisis().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("crisis_suicide", "sms", "en")


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("i think shes with him right now", "en"),
        ("my daughter is with that man right now and i cant reach her", "en"),
        ("creo q esta con el ahorita mismo y no me contesta mi hija", "es"),
    ],
)
def test_a_parent_telling_of_danger_now_gets_the_danger_reply_for_someone_worried(
    dispatcher, domain, said, language
):
    meta = {"channel": "sms", "language": language}
    slots = {"who_is_asking": "someone_else"}
    tracker = make_tracker(said, "in_danger", slots=slots, metadata=meta)
    run(ActionCrisis().run(dispatcher, tracker, domain))
    text = texts(dispatcher)[0]
    assert text == render("crisis_danger_other", "sms", language)
    assert text.startswith(("If they are in danger now", "Si esa persona"))


@pytest.mark.parametrize("said", ["he hit me and im scared", "hes outside my house"])
def test_a_parent_in_danger_themself_gets_the_danger_reply_for_them(dispatcher, domain, said):
    slots = {"who_is_asking": "someone_else"}
    tracker = make_tracker(said, "in_danger", slots=slots)
    run(ActionCrisis().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("crisis_danger", "sms", "en")


@pytest.mark.parametrize(
    ("said", "intent", "language"),
    [
        (
            "im her stepdad. she snuck out tonight to meet that older guy from instagram and"
            " shes with him now, she wont pick up",
            "worried_about_friend",
            "en",
        ),
        ("esta con ese señor ahorita y no me contesta, soy su mama", "talk_with_teen", "es"),
    ],
)
def test_an_adult_saying_she_is_with_him_now_gets_the_danger_reply_first(
    dispatcher, domain, said, intent, language
):
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(said, intent, metadata=meta, events=[user_event(intent, said)])
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("crisis_danger_other", "sms", language)


def test_she_is_with_him_now_after_a_parents_message_is_danger_even_when_not_understood(
    dispatcher, domain
):
    first = "I FOUND MY DAUGHTERS PICTURES ON A WEBSITE WITH PRICES WHAT DO I DO"
    said = "i think shes with him right now"
    events = [user_event("how_to_report", first), user_event("nlu_fallback", said)]
    tracker = make_tracker(said, "nlu_fallback", events=events)
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("crisis_danger_other", "sms", "en")


def test_a_parent_after_the_danger_reply_gets_what_an_adult_can_do_next(dispatcher, domain):
    said = "ok i called them. now what"
    slots = {"who_is_asking": "someone_else", "last_answer": "reply:crisis_danger_other"}
    tracker = make_tracker(said, "ask_what_to_do", slots=slots, events=[user_event("x", said)])
    run(ActionWhatToDo().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("adult_next_steps", "caregiver", "sms", "en").text


def test_a_youth_after_the_danger_reply_is_offered_a_person(dispatcher, domain):
    said = "what do i do now"
    slots = {"last_answer": "reply:crisis_danger"}
    tracker = make_tracker(said, "ask_what_to_do", slots=slots, events=[user_event("x", said)])
    run(ActionWhatToDo().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("offer_person", "sms", "en")


@pytest.mark.parametrize(("said", "language"), [("wenas", "es"), ("oli", "es"), ("heyyy", "en")])
def test_a_lone_greeting_the_classifier_missed_is_greeted(dispatcher, domain, said, language):
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(said, "nlu_fallback", metadata=meta, events=[user_event("x", said)])
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0].startswith(render("greet", "sms", language)[:20])


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("creo que me esta dando un ataque de panico, no me puedo calmar", "es"),
        ("i feel like im gonna explode rn", "en"),
    ],
)
def test_panic_the_classifier_missed_gets_an_idea_for_right_now(dispatcher, domain, said, language):
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(said, "nlu_fallback", metadata=meta, events=[user_event("x", said)])
    events = run(ActionHandleFallback().run(dispatcher, tracker, domain))
    given = [str(e.get("value")) for e in events if e.get("name") == "last_answer"]
    assert given and given[0].startswith("guide:ideas_coping"), given


def test_an_unknown_writer_after_someone_elses_crisis_gets_the_words_for_a_friend(
    dispatcher, domain
):
    events = _crisis_then("shes talking about suicide again", "suicide", "other", "what do i do")
    tracker = make_tracker("what do i do", "ask_what_to_do", events=events)
    run(ActionWhatToDo().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("someone_in_crisis", "friend", "sms", "en").text


@pytest.mark.parametrize(
    "said", ["i dont got money and my phone is at 3%", "no tengo lana y mi cel esta al 2%"]
)
def test_a_runaway_with_no_money_or_battery_gets_the_stranded_part(said):
    part = pick_part(load_guide().entry("running_away"), said)
    assert part is not None and part.id == "stranded"
