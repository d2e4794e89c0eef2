"""The question asked gets its answer when the classifier was unsure or placed it elsewhere
(bot/actions/asked.py, fallback.py, ideas.py, followups.py): what the words ask, for who is
writing; a follow-up that stays on the topic just answered; "what else" after one part of a
topic; the numbers of a crisis the safety net answered, sent again."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.actions.fallback import ActionHandleFallback
from bot.actions.followups import ActionExplain, ActionRepeatLast, ActionUnsure
from bot.actions.hotlines import ActionGiveHotlines
from bot.actions.ideas import ActionNextIdea, next_part
from bot.actions.places import ActionAboutPlaces, need_of
from bot.actions.topics import ActionAnswerTopic
from bot.actions.where import county_in
from resources.guide import load_guide
from resources.guide_answers import answer, next_idea, pick_part
from resources.replies import render
from tests.actions.conftest import make_tracker, texts, user_event


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def _said(*messages: str) -> list[dict[str, Any]]:
    return [user_event("nlu_fallback", m) for m in messages]


PARENT = {"who_is_asking": "caregiver"}
FRIEND = {"who_is_asking": "friend"}


@pytest.mark.parametrize(
    ("message", "slots", "expected"),
    [
        ("Will the family know I'm the one who reported?", PARENT, "confidentiality"),
        ("pero no le digas a nadie plis", {}, "confidentiality"),
        ("fine. then who do i call in vegas", PARENT, "how_to_report"),
        ("¿Y si es urgente?", PARENT, "how_to_report"),
        ("a quien le aviso? sus papas no saben nada", FRIEND, "how_to_report"),
        ("Should I call her parents first?", {"who_is_asking": "professional"}, "adult_next_steps"),
    ],
)
def test_a_miss_whose_words_say_what_is_asked_gets_that_answer(
    dispatcher, domain, message, slots, expected
):
    tracker = make_tracker(message, "nlu_fallback", slots=slots, events=_said(message))
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    reader = {"caregiver": "caregiver", "professional": "professional", "friend": "friend"}
    wanted = answer(expected, reader.get(str(slots.get("who_is_asking")))).text
    assert texts(dispatcher)[0] == wanted
    assert render("fallback_first") not in texts(dispatcher)


def test_leaving_without_him_knowing_is_not_a_question_about_confidentiality(dispatcher, domain):
    said = "how do i leave without him knowing"
    tracker = make_tracker(said, "safety_ideas", events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert answer("confidentiality", None).text not in texts(dispatcher)


def test_a_pastor_asking_about_her_parents_gets_what_an_adult_can_do(dispatcher, domain):
    said = "should i talk to her parents"
    slots = {"who_is_asking": "professional"}
    tracker = make_tracker(said, "talk_with_teen", slots=slots, events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("adult_next_steps", "professional").text


def test_what_to_take_is_answered_even_when_it_read_as_running_away(dispatcher, domain):
    said = "me quiero ir de la casa de mi novio, q me llevo?"
    metadata = {"channel": "sms", "language": "es"}
    tracker = make_tracker(said, "running_away", metadata=metadata, events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    take = answer("safety_ideas", "youth", "sms", "es", subtopic="take").text
    assert texts(dispatcher)[0] == take


def test_a_parent_asking_who_to_call_gets_the_reporting_answer_not_the_youth_lines(
    dispatcher, domain
):
    said = "who do i call"
    tracker = make_tracker(said, "ask_hotlines", slots=PARENT, events=_said(said))
    run(ActionGiveHotlines().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("how_to_report", "caregiver").text


def test_a_line_asked_for_in_an_lgbtq_conversation_leads_with_the_trevor_project(
    dispatcher, domain
):
    history = _said("My son just came out as trans and im scared for him", "is there a line")
    tracker = make_tracker("is there a line", "ask_hotlines", slots=PARENT, events=history)
    run(ActionGiveHotlines().run(dispatcher, tracker, domain))
    assert "1-866-488-7386" in texts(dispatcher)[0]


def test_a_place_from_a_parent_after_a_guide_answer_gets_the_reporting_line():
    slots = {**PARENT, "last_answer": "guide:confidentiality"}
    tracker = make_tracker("im in north las vegas", "inform_location", slots=slots)
    assert need_of(tracker) == "reporting"
    youth = make_tracker(
        "im in north las vegas", "inform_location", slots={"who_is_asking": "self"}
    )
    assert need_of(youth) == "shelter"


def _ranked(text: str, slots: dict[str, Any], ranking: list[tuple[str, float]]):  # type: ignore[no-untyped-def]
    tracker = make_tracker(text, "nlu_fallback", slots=slots, events=_said(text))
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    return tracker


def test_a_follow_up_ranked_on_the_topic_just_given_continues_it(dispatcher, domain):
    slots = {
        **PARENT,
        "last_answer": "guide:talk_tips#0",
        "idea_list": "talk_tips",
        "idea_index": 0,
    }
    said = "And if she won't listen to me at all?"
    tracker = _ranked(said, slots, [("warning_signs", 0.2), ("talk_with_teen", 0.18)])
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == next_idea("talk_tips", 1, reader="caregiver").text


def test_a_miss_ranked_elsewhere_is_still_repaired_with_a_question(dispatcher, domain):
    slots = {**PARENT, "last_answer": "guide:talk_tips#0", "idea_list": "talk_tips"}
    tracker = _ranked("blorp", slots, [("greet", 0.2), ("goodbye", 0.1)])
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("fallback_first")


def test_what_else_after_one_part_gives_the_next_part():
    assert next_part("guide:warning_signs.relationships") == "guide:warning_signs.money"
    assert next_part("guide:friend_help.older_partner") == "guide:friend_help.general"
    assert next_part("guide:friend_help.general") is None
    assert next_part("guide:warning_signs.words") is None  # the last: the menu follows
    assert next_part("reply:hotlines_list") is None


def test_what_else_after_the_signs_with_relationships(dispatcher, domain):
    slots = {**PARENT, "last_answer": "guide:warning_signs.relationships"}
    tracker = make_tracker("what else", "ask_more", slots=slots)
    run(ActionNextIdea().run(dispatcher, tracker, domain))
    money = answer("warning_signs", "caregiver", subtopic="money").text
    assert texts(dispatcher)[0] == money


def test_a_short_follow_up_takes_its_part_from_what_was_said_before():
    entry = load_guide().entry("not_okay_situations")
    earlier = ["my friend says she owes her boyfriend money and has to work it off"]
    part = pick_part(entry, "is that normal tho", earlier=earlier)
    assert part is not None and part.id == "debt"
    # never the part just given again on earlier words alone
    again = pick_part(entry, "is that normal tho", earlier=earlier, previous="debt")
    assert again is None or again.id != "debt"


def test_the_number_again_after_the_safety_net_gives_its_crisis_numbers(dispatcher, domain):
    events = [
        {
            **user_event("nlu_fallback", "my friend keeps cutting"),
            "metadata": {"safety_net": "self_harm"},
        },
        user_event("repeat_last", "the number again?"),
    ]
    slots = {"last_answer": "reply:offer_person"}
    tracker = make_tracker("the number again?", "repeat_last", slots=slots, events=events)
    run(ActionRepeatLast().run(dispatcher, tracker, domain))
    assert "988" in texts(dispatcher)[0]


def test_the_number_to_report_again_leads_with_the_county_line(dispatcher, domain):
    slots = {
        "last_answer": "guide:talk_tips#0",
        "last_numbers": "emergency_911,nhth,ncmec,lifeline_988",
        "county": "Washoe County|NV",
    }
    tracker = make_tracker("what's the number to report again", "repeat_last", slots=slots)
    run(ActionRepeatLast().run(dispatcher, tracker, domain))
    assert "833-900-7233" in texts(dispatcher)[0]


def test_a_friend_asking_how_to_talk_to_her_friend_gets_what_a_friend_can_do(dispatcher, domain):
    said = "what do i do if she wont listen to me"
    tracker = make_tracker(said, "talk_with_teen", slots=FRIEND, events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("friend_help", "friend").text


@pytest.mark.parametrize(
    ("said", "intent", "expected"),
    [
        ("q significa eso de explotacion q me dijiste", "is_this_normal", "exploitation_meaning"),
        ("que es eso de safeline", "ask_meaning", "running_away.stranded"),
    ],
)
def test_a_question_about_a_word_gets_the_answer_that_explains_it(
    dispatcher, domain, said, intent, expected
):
    metadata = {"channel": "sms", "language": "es"}
    tracker = make_tracker(said, intent, metadata=metadata, events=_said(said))
    action = ActionExplain() if intent == "ask_meaning" else ActionAnswerTopic()
    run(action.run(dispatcher, tracker, domain))
    entry, _, part = expected.partition(".")
    wanted = answer(entry, None, "sms", "es", subtopic=part or None).text
    assert texts(dispatcher)[0] == wanted


def test_can_this_happen_to_boys_is_answered_for_a_parent_with_the_signs(dispatcher, domain):
    said = "people keep telling me boys can't be victims"
    tracker = make_tracker(said, "nlu_fallback", slots=PARENT, events=_said(said))
    run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert "boys" in texts(dispatcher)[0]


def test_pictures_online_with_online_safety_tips_also_get_the_cybertipline(dispatcher, domain):
    said = "I FOUND MY DAUGHTERS PICTURES ON A WEBSITE WITH PRICES WHAT DO I DO"
    tracker = make_tracker(said, "protect_online", slots=PARENT, events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert render("pictures_help") in texts(dispatcher)


def test_who_is_writing_said_in_an_earlier_message_is_still_known(dispatcher, domain):
    history = _said("my friend is trans and his parents kicked him out", "how do i support him")
    tracker = make_tracker("how do i support him", "talk_with_teen", events=history)
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("friend_help", "friend").text


def test_a_spanish_a_la_is_not_los_angeles():
    assert county_in("¿Y qué le digo a la mamá que haga?") == (None, None)
    assert county_in("we are in LA")[0] == "Los Angeles County"
    assert county_in("estamos en reno")[0] == "Washoe County"


def test_an_adult_asking_for_a_line_the_youth_can_call_gets_the_youth_lines(dispatcher, domain):
    said = "Any line she could ring on her own?"
    slots = {"who_is_asking": "professional"}
    tracker = make_tracker(said, "ask_hotlines", slots=slots, events=_said(said))
    run(ActionGiveHotlines().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("hotlines_list")


def test_a_friend_telling_what_her_friend_made_her_promise_gets_what_a_friend_can_do(
    dispatcher, domain
):
    said = "she made me promise not to tell anyone"
    tracker = make_tracker(said, "ask_confidentiality", slots=FRIEND, events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("friend_help", "friend").text
    asked = "will you tell her parents"
    dispatcher.messages.clear()
    tracker = make_tracker(asked, "ask_confidentiality", slots=FRIEND, events=_said(asked))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("confidentiality", "friend").text


def test_an_adult_not_sure_it_is_abuse_gets_what_an_adult_can_do(dispatcher, domain):
    said = "what if i'm not sure it's abuse"
    tracker = make_tracker(said, "unsure", slots=PARENT, events=_said(said))
    run(ActionUnsure().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("adult_next_steps", "caregiver").text


def test_a_youth_who_says_her_own_age_gets_her_own_answer_not_a_friends(dispatcher, domain):
    said = "tengo 14 y mi novio tiene 23, dice ke me ama"
    metadata = {"channel": "sms", "language": "es"}
    tracker = make_tracker(said, "worried_about_friend", metadata=metadata, events=_said(said))
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    entry = load_guide().entry("not_okay_situations")
    assert texts(dispatcher)[0] == answer(entry.id, "youth", "sms", "es", message=said).text


def test_what_else_while_a_child_is_missing_is_what_an_adult_can_do(dispatcher, domain):
    slots = {**PARENT, "last_answer": "guide:child_missing.now"}
    tracker = make_tracker("ke mas puedo aser", "ask_more", slots=slots)
    run(ActionNextIdea().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == answer("adult_next_steps", "caregiver").text


def test_taking_pictures_down_in_a_pictures_conversation(dispatcher, domain):
    history = _said("this guy has my pics and says he will post them", "can they take them down")
    tracker = make_tracker("can they take them down", "ask_about_places", events=history)
    run(ActionAboutPlaces().run(dispatcher, tracker, domain))
    assert texts(dispatcher) == [render("pictures_help")]


def test_a_coach_asking_for_the_number_for_a_county_gets_its_reporting_line(dispatcher, domain):
    history = _said("coach here, club volleyball in reno", "number for washoe?")
    slots = {"who_is_asking": "professional"}
    tracker = make_tracker("number for washoe?", "ask_hotlines", slots=slots, events=history)
    run(ActionGiveHotlines().run(dispatcher, tracker, domain))
    assert "833-900-7233" in " ".join(texts(dispatcher))
