"""Guide answers: the right reader, "for you or someone else?" only where it matters, the few
signs that matter, ideas one at a time, stopping at any point."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.events import AllSlotsReset

from bot.actions.basics import ActionGreet, ActionShowMenu, ActionStopChat
from bot.actions.context import READER_OF_ASKER
from bot.actions.ideas import ActionNextIdea
from bot.actions.topics import ActionAnswerPending, ActionAnswerTopic
from resources.guide import load_guide
from resources.guide_answers import answer
from resources.replies import render
from resources.reporting_policy import load_policy
from tests.actions.conftest import make_tracker, texts

GUIDE = load_guide()


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def slots_of(events) -> dict:  # type: ignore[no-untyped-def]
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def payloads(dispatcher) -> list[str]:  # type: ignore[no-untyped-def]
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


def test_greeting_has_911_and_the_three_choices(dispatcher, domain):
    run(ActionGreet().run(dispatcher, make_tracker("hi", "greet"), domain))
    assert "911" in texts(dispatcher)[0]
    assert payloads(dispatcher) == ["/find_shelter", "/ask_hotlines", "/talk_to_person"]


@pytest.mark.parametrize("intent", ["what_is_exploitation", "ask_confidentiality", "lgbtq_support"])
def test_answers_first_then_asks_who_when_the_next_step_differs(dispatcher, domain, intent):
    """Answer first, then tailor: the answer comes in the first message; the question about
    who is writing follows it, with its three choices."""
    events = run(ActionAnswerTopic().run(dispatcher, make_tracker("q", intent), domain))
    entry = GUIDE.for_intent(intent)
    assert entry is not None
    assert texts(dispatcher)[0] == answer(entry.id, None).text
    rest = texts(dispatcher)[1:]
    if intent == "ask_confidentiality":  # then what our own team must pass on (the policy)
        assert rest.pop(0) == render(load_policy().reply_id)
    assert rest[0] == render("ask_who_next")
    assert payloads(dispatcher)[-3:] == [
        '/inform_who{"who_is_asking":"self"}',
        '/inform_who{"who_is_asking":"friend"}',
        '/inform_who{"who_is_asking":"someone_else"}',
    ]
    assert slots_of(events)["pending_topic"] == entry.id
    assert slots_of(events)["last_question"] == "ask_who"


def test_does_not_ask_when_the_words_said_who(dispatcher, domain):
    tracker = make_tracker(
        "what is trafficking my daughter asked",
        "what_is_exploitation",
        slots={"who_is_asking": "someone_else"},
    )
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert "Happy to help" not in texts(dispatcher)[0]
    assert "Federal" in texts(dispatcher)[0] or "abuse" in texts(dispatcher)[0]


@pytest.mark.parametrize("intent", ["ask_in_trouble", "how_to_report", "warning_signs"])
def test_no_question_for_topics_with_one_likely_reader(dispatcher, domain, intent):
    run(ActionAnswerTopic().run(dispatcher, make_tracker("q", intent), domain))
    assert "Is this for you" not in texts(dispatcher)[0]


@pytest.mark.parametrize("who", ["self", "friend", "caregiver", "professional"])
def test_the_reply_to_who_gets_that_readers_next_step(dispatcher, domain, who):
    tracker = make_tracker(
        "x", "inform_who", slots={"pending_topic": "confidentiality", "who_is_asking": who}
    )
    events = run(ActionAnswerPending().run(dispatcher, tracker, domain))
    entry = GUIDE.entry("confidentiality")
    reader = READER_OF_ASKER[who]
    target = (entry.next or {})[reader]
    entry_id, _, part = target.partition(".")
    assert texts(dispatcher)[0] == answer(entry_id, reader, subtopic=part or None).text
    assert slots_of(events)["pending_topic"] is None
    assert slots_of(events)["last_answer"] == f"guide:{target}" or target in str(
        slots_of(events)["last_answer"]
    )


def test_someone_else_with_nothing_waiting_gets_the_caregiver_menu(dispatcher, domain):
    tracker = make_tracker("my son", "inform_who", slots={"who_is_asking": "someone_else"})
    run(ActionAnswerPending().run(dispatcher, tracker, domain))
    assert payloads(dispatcher) == ["/warning_signs", "/talk_with_teen", "/how_to_report"]


def test_a_caregiver_topic_leaves_who_is_asking_open(dispatcher, domain):
    """Young people ask about warning signs too: the topic alone does not say who is writing
    (resources/who.py reads it from the words; bot/actions/replies.py ASKER_OF_AUDIENCE)."""
    events = run(ActionAnswerTopic().run(dispatcher, make_tracker("q", "warning_signs"), domain))
    assert "who_is_asking" not in slots_of(events)
    said = make_tracker("im her mom, what are the signs", "warning_signs")
    events = run(ActionAnswerTopic().run(dispatcher, said, domain))
    assert slots_of(events)["who_is_asking"] == "caregiver"  # said in words: remembered
    tracker = make_tracker("yes", "affirm", slots={"who_is_asking": "someone_else"})
    run(ActionShowMenu().run(dispatcher, tracker, domain))
    assert "/warning_signs" in payloads(dispatcher)


def test_warning_signs_give_the_few_that_matter(dispatcher, domain):
    message = "my daughter has lots of new clothes and cash and i dont know where from"
    run(ActionAnswerTopic().run(dispatcher, make_tracker(message, "warning_signs"), domain))
    assert texts(dispatcher)[0].startswith("Signs with money and things")


def test_warning_signs_without_a_cue_offer_the_groups(dispatcher, domain):
    run(ActionAnswerTopic().run(dispatcher, make_tracker("signs?", "warning_signs"), domain))
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Partners and phones",
        "Money and things",
        "School, home and health",
    ]
    assert payloads(dispatcher)[0] == '/warning_signs{"subtopic":"relationships"}'


def test_a_group_button_gives_that_group(dispatcher, domain):
    tracker = make_tracker('/warning_signs{"subtopic":"school_body"}', "warning_signs")
    tracker.latest_message["entities"] = [{"entity": "subtopic", "value": "school_body"}]
    run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0].startswith("Signs at school")


@pytest.mark.parametrize(
    ("message", "start"),
    [
        ("my bf says i owe him and have to pay it back", "When someone says you owe them"),
        ("a guy keeps asking for pics and will pay me", "Thank you for telling me. If anyone pays"),
        ("he makes me see his friends", "Thank you for telling me. No one has the right"),
        ("is it ok hes 26 and im 15", "Thank you for telling me. When an adult"),
        ("i do stuff so i have a place to stay", "Thank you for telling me. Having to"),
        ("is this normal", "Thank you for telling me. You don't have to share"),
    ],
)
def test_is_this_normal_answers_the_situation_described(dispatcher, domain, message, start):
    run(ActionAnswerTopic().run(dispatcher, make_tracker(message, "is_this_normal"), domain))
    text = texts(dispatcher)[0]
    assert start in text and "not your fault" in text


def test_ideas_come_one_at_a_time_never_as_a_list(dispatcher, domain):
    tracker = make_tracker("how do i get away from him", "safety_ideas")
    events = run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    ideas = GUIDE.entry("ideas_before").parts
    first = texts(dispatcher)[0]
    assert first.count("\n") == 1 and "Another idea" in [
        b["title"] for b in dispatcher.messages[0]["buttons"]
    ]
    assert not any(i.text and i.text.template("sms", "en")[:30] in first for i in ideas[1:])
    slots = slots_of(events)
    assert (slots["idea_list"], slots["idea_index"]) == ("ideas_before", 0)
    seen = [first]
    for index in range(1, len(ideas) + 1):
        tracker = make_tracker(
            "another", "ask_more", slots={"idea_list": "ideas_before", "idea_index": index - 1}
        )
        run(ActionNextIdea().run(dispatcher, tracker, domain))
        seen.append(texts(dispatcher)[-1])
    assert len(set(seen)) == len(seen)
    assert "That's all" in seen[-1]
    assert "/ask_more" not in [b["payload"] for b in dispatcher.messages[-1]["buttons"]]


@pytest.mark.parametrize(
    ("message", "list_id"),
    [
        ("i left him last week how do i stop him finding me", "ideas_after"),
        ("can he see my location on my phone", "ideas_phone"),
    ],
)
def test_ideas_follow_where_the_person_is(dispatcher, domain, message, list_id):
    events = run(ActionAnswerTopic().run(dispatcher, make_tracker(message, "safety_ideas"), domain))
    assert slots_of(events)["idea_list"] == list_id


def test_more_with_no_list_gets_the_menu(dispatcher, domain):
    run(ActionNextIdea().run(dispatcher, make_tracker("more", "ask_more"), domain))
    assert payloads(dispatcher) == ["/find_shelter", "/ask_hotlines", "/talk_to_person"]


def test_stop_at_any_point_forgets_everything(dispatcher, domain):
    tracker = make_tracker(
        "stop for now", "stop_chat", slots={"idea_list": "ideas_before", "pending_topic": "x"}
    )
    events = run(ActionStopChat().run(dispatcher, tracker, domain))
    assert events == [AllSlotsReset()]
    assert texts(dispatcher)[0].startswith("Okay, I'll stop here")
    assert "911" not in texts(dispatcher)[0]  # a neutral close: nothing to betray on a screen


@pytest.mark.parametrize(
    ("message", "intent", "target"),
    [
        ("im her grandma, what if he shows up at the house?", "safety_ideas", "adult_next_steps"),
        ("my daughter's boyfriend might read her texts, can he", "phone_safety", "online_tips"),
    ],
)
def test_an_adult_asking_a_youth_safety_question_gets_the_adults_answer(
    dispatcher, domain, message, intent, target
):
    tracker = make_tracker(message, intent, slots={"who_is_asking": "caregiver"})
    events = run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    assert str(slots_of(events)["last_answer"]).startswith(f"guide:{target}")


@pytest.mark.parametrize(
    ("message", "target"),
    [
        ("soy tia de una muchacha de 16. se va con un señor de 30", "adult_next_steps"),
        ("buenas, soy abuelo. a donde llamo si creo q a mi nieta la explotan", "how_to_report"),
        ("im her mom and a man keeps asking her for pics on instagram", "how_to_report"),
    ],
)
def test_an_adult_who_says_who_they_are_and_what_happens_gets_an_answer(
    dispatcher, domain, message, target
):
    tracker = make_tracker(message, "inform_who", slots={"who_is_asking": "caregiver"})
    events = run(ActionAnswerPending().run(dispatcher, tracker, domain))
    assert str(slots_of(events)["last_answer"]).startswith(f"guide:{target}")


def test_an_adult_who_only_says_who_they_are_gets_the_menu(dispatcher, domain):
    tracker = make_tracker("im her mom", "inform_who", slots={"who_is_asking": "caregiver"})
    run(ActionAnswerPending().run(dispatcher, tracker, domain))
    assert "/warning_signs" in payloads(dispatcher)


def test_the_numbers_again_after_only_911_gives_the_lines_to_call_or_text(dispatcher, domain):
    """The greeting's danger sentence gave 911; an answer since gave no number. "Can u send
    the numbers again" means the lines a youth can call or text, not 911 alone."""
    from bot.actions.followups import ActionRepeatLast

    tracker = make_tracker(
        "can u send the numbers again",
        "repeat_last",
        slots={"last_answer": "guide:warning_signs", "last_numbers": "emergency_911"},
    )
    run(ActionRepeatLast().run(dispatcher, tracker, domain))
    assert texts(dispatcher)[0] == render("hotlines_list")
    assert "988" in texts(dispatcher)[0]


@pytest.mark.parametrize(
    "said",
    [
        "mi amiga dice q su novio le rastrea el cel",
        "mi amiga dice que su novio le checa el celular todo el tiempo",
        "my friend's boyfriend tracks her phone, how do we stop it",
    ],
)
def test_a_friend_asking_about_her_friends_phone_gets_the_phone_ideas_for_a_friend(
    dispatcher, domain, said
):
    language = "es" if said.startswith("mi ") else "en"
    meta = {"channel": "sms", "language": language}
    tracker = make_tracker(said, "phone_safety", metadata=meta)
    events = run(ActionAnswerTopic().run(dispatcher, tracker, domain))
    given = [e.get("value") for e in events if e.get("name") == "last_answer"]
    assert given == ["guide:friend_help.phone"]
    expected = answer("friend_help", "friend", "sms", language, subtopic="phone").text
    assert texts(dispatcher)[0] == expected
