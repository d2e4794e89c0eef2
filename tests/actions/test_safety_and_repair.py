"""Danger, a person, numbers and repair: answers come from resources/, never empty."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions.basics import ActionStopChat
from bot.actions.fallback import ActionHandleFallback
from bot.actions.handoff import ActionTalkToPerson
from bot.actions.hotlines import ActionGiveHotlines
from bot.actions.safety import ActionCrisis
from resources.replies import render
from resources.reporting_policy import load_policy
from tests.actions.conftest import make_tracker, texts, user_event


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_emergency_sends_911_first_when_the_gateway_did_not(dispatcher, domain):
    run(ActionCrisis().run(dispatcher, make_tracker("help", "in_danger"), domain))
    assert texts(dispatcher)[0].startswith("If you are in danger now, call 911")


@pytest.mark.parametrize(
    ("intent", "numbers"),
    [
        ("in_danger", ["911", "1-888-373-7888"]),
        ("suicidal_thoughts", ["988", "741741", "911"]),
        ("self_harm", ["988", "741741", "911"]),
        ("sexual_assault", ["911", "988"]),
    ],
)
def test_each_crisis_gets_its_own_numbers_first(dispatcher, domain, intent, numbers):
    run(ActionCrisis().run(dispatcher, make_tracker("x", intent), domain))
    (text,) = texts(dispatcher)
    assert all(n in text for n in numbers), text
    assert len(text) <= 320


@pytest.mark.parametrize(
    "intent", ["in_danger", "suicidal_thoughts", "self_harm", "sexual_assault"]
)
def test_crisis_does_not_repeat_what_the_safety_net_sent(dispatcher, domain, intent):
    tracker = make_tracker("help", intent, metadata={"channel": "sms", "safety_net": "danger"})
    run(ActionCrisis().run(dispatcher, tracker, domain))
    assert dispatcher.messages == []


def test_a_crisis_read_as_stop_is_not_answered_with_goodbye(dispatcher, domain):
    # "me quiero morir": the safety net answered; NLU may still read "quiero parar".
    meta = {"channel": "sms", "language": "es", "safety_net": "suicide"}
    tracker = make_tracker("me quiero morir", "stop_chat", metadata=meta)
    events = run(ActionStopChat().run(dispatcher, tracker, domain))
    assert dispatcher.messages == []
    assert [e["event"] for e in events] == ["reset_slots"]
    plain = make_tracker("quiero parar", "stop_chat", metadata={"channel": "sms", "language": "es"})
    run(ActionStopChat().run(dispatcher, plain, domain))
    assert texts(dispatcher) == [render("stop_chat", "sms", "es")]


def test_a_crisis_nlu_did_not_understand_gets_the_offer_not_an_apology(dispatcher, domain):
    meta = {"channel": "sms", "language": "es", "safety_net": "danger"}
    tracker = make_tracker("estoy en peligro", "nlu_fallback", metadata=meta)
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    (message,) = dispatcher.messages
    assert message["text"].startswith("¿Quieres que busque a una persona")
    assert [b["payload"] for b in message["buttons"]] == ["/talk_to_person", "/deny"]


def test_crisis_in_spanish(dispatcher, domain):
    tracker = make_tracker("me quiero morir", "suicidal_thoughts", metadata={"language": "es"})
    run(ActionCrisis().run(dispatcher, tracker, domain))
    # Danger first: the number leads the text (docs/conversation_design.md).
    assert texts(dispatcher)[0] == render("crisis_suicide", "sms", "es")
    assert texts(dispatcher)[0].index("988") < 20


def test_hotlines_are_easy_to_remember_numbers(dispatcher, domain):
    run(ActionGiveHotlines().run(dispatcher, make_tracker("numbers", "ask_hotlines"), domain))
    text = texts(dispatcher)[0]
    assert "988" in text and "1-888-373-7888" in text and "911" in text


def test_caregivers_get_the_lines_for_adults(dispatcher, domain):
    tracker = make_tracker("numbers", "ask_hotlines", slots={"who_is_asking": "someone_else"})
    run(ActionGiveHotlines().run(dispatcher, tracker, domain))
    text = texts(dispatcher)[0]
    assert "1-800-THE-LOST" in text or "1-800-843-5678" in text
    assert text.index("911") < text.index("1-888-373-7888")


def test_texting_instead_of_calling(dispatcher, domain):
    run(ActionGiveHotlines().run(dispatcher, make_tracker("can i text", "ask_text_line"), domain))
    text = texts(dispatcher)[0]
    assert "Text 988" in text and "741741" in text and "44357" in text


def test_person_request_is_answered_honestly(dispatcher, domain):
    run(ActionTalkToPerson().run(dispatcher, make_tracker("a person"), domain))
    text = texts(dispatcher)[0]
    assert "automated" in text and "988" in text
    assert not any(m.get("custom") for m in dispatcher.messages)


def test_person_request_with_someone_on_shift_raises_a_handoff_with_a_summary(dispatcher, domain):
    events = [
        user_event("find_shelter"),
        {"event": "action", "name": "action_find_places"},
        user_event("warning_signs"),
        {"event": "action", "name": "action_answer_topic"},
        {"event": "action", "name": "action_listen"},
        user_event("talk_to_person"),
    ]
    tracker = make_tracker(
        "can i talk to someone",
        "talk_to_person",
        slots={"who_is_asking": "someone_else", "place_label": "Reno, NV"},
        metadata={"channel": "sms", "advocates_available": True},
        events=events,
    )
    run(ActionTalkToPerson().run(dispatcher, tracker, domain))
    assert "asking a person from our team" in texts(dispatcher)[0]
    # then what our team must pass on, as the helpline's policy says (cautious by default)
    assert texts(dispatcher)[2] == render(load_policy().reply_id, "sms", "en")
    assert "may have to tell child protection" in texts(dispatcher)[2]
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert handoff["reason"] == "asked"
    summary = handoff["summary"]
    assert summary["who"] == "caregiver" and summary["place"] == "Reno, NV"
    assert summary["asked"] == ["a place to stay, food or a shower", "warning signs"]
    assert "can i talk" not in str(summary)  # topics, never the person's words


def test_accepting_the_offer_after_two_misses_is_a_misunderstood_handoff(dispatcher, domain):
    events = [
        user_event("nlu_fallback"),
        {"event": "action", "name": "action_handle_fallback"},
        {"event": "action", "name": "action_listen"},
        user_event("talk_to_person", "/talk_to_person"),
    ]
    tracker = make_tracker(
        "/talk_to_person", "talk_to_person", metadata={"advocates_available": True}, events=events
    )
    run(ActionTalkToPerson().run(dispatcher, tracker, domain))
    assert dispatcher.messages[1]["custom"]["handoff"]["reason"] == "misunderstood"


def test_first_miss_offers_choices_second_offers_people(dispatcher, domain):
    once = make_tracker(
        "blorp", "nlu_fallback", events=[user_event("greet"), user_event("nlu_fallback")]
    )
    run(ActionHandleFallback().run(dispatcher, once, domain))
    assert dispatcher.messages[0]["buttons"]
    twice = make_tracker(
        "blarg", "nlu_fallback", events=[user_event("nlu_fallback"), user_event("nlu_fallback")]
    )
    run(ActionHandleFallback().run(dispatcher, twice, domain))
    second = dispatcher.messages[1]
    assert "988" in second["text"]
    assert [b["payload"] for b in second["buttons"]] == ["/talk_to_person", "/stop_chat"]
    # never "I didn't understand" twice
    assert not any(w in second["text"] for w in ("not sure", "not getting", "didn't"))


def test_keyboard_mash_counts_as_a_miss(dispatcher, domain):
    tracker = make_tracker(
        "asdf", "nonsense", events=[user_event("nlu_fallback"), user_event("nonsense")]
    )
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert "988" in texts(dispatcher)[0]


def test_spanish_metadata_gets_spanish_numbers(dispatcher, domain):
    tracker = make_tracker("numeros", metadata={"channel": "sms", "language": "es"})
    run(ActionGiveHotlines().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("hotlines_list", "sms", "es")
