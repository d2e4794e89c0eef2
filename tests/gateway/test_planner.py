"""Thinking a plan through, one question per message (services/planner.py), as youth text it:
consent first, every question skippable, a stop at any step, a question of their own set
aside for the assistant, and never the answers sent back over SMS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from resources.planning import load_planning, plain_words
from resources.replies import load_keywords, load_replies, render
from sms_gateway.services import planner as p
from sms_gateway.services.plan_store import PlanState
from sms_gateway.services.turns import PERSON_PAYLOAD

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


class Talk:
    """One youth's side of a conversation with the planner (the store's part done by hand)."""

    def __init__(self, channel: str = "sms", language: str = "en") -> None:
        self.planner = p.Planner("3")
        self.state: PlanState | None = None
        self.channel, self.language = channel, language
        self.clock = NOW

    def say(self, text: str, payload: str | None = None) -> p.PlanTurn | None:
        self.clock += timedelta(minutes=1)
        turn = self.planner.turn(self.state, text, payload, self.channel, self.language, self.clock)
        if turn is not None:
            self.state = turn.state
        return turn

    def text(self, text: str, payload: str | None = None) -> str:
        turn = self.say(text, payload)
        assert turn is not None and not turn.passthrough, text
        return " ".join(m.text for m in turn.messages)


def q(reply_id: str, language: str = "en") -> str:
    return render(reply_id, "sms", language, plan_days="3")


def test_a_youth_thinks_it_through_and_agrees_to_keep_it() -> None:
    t = Talk()
    offer = t.say("can you help me make a safety plan")
    assert offer is not None and offer.messages[0].text == q("plan_offer")
    assert [b["payload"] for b in offer.messages[0].buttons] == [p.START, p.NOT_NOW]
    assert t.text("yes") == q("plan_keep_question")
    assert t.text("1", p.KEEP) == q("plan_q_danger")
    assert t.text("no") == q("plan_q_person")
    person = t.say("my aunt rosa 702-555-0142")
    assert person is not None and person.answered and person.recorded == p.REDACTED
    assert " ".join(m.text for m in person.messages) == q("plan_q_place")
    assert t.text("skip") == q("plan_q_take")
    assert t.text("my id, my charger and my meds") == q("plan_q_contact")
    assert t.text("idk") == q("plan_q_routines")
    assert t.text("take the bus at a different time") == q("plan_q_phone")
    assert t.text("new password") == q("plan_q_avoid")
    done = t.say("the motel on fremont st")
    assert done is not None and done.messages[0].text == q("plan_done_kept")
    assert [b["payload"] for b in done.messages[0].buttons] == [PERSON_PAYLOAD, p.NOT_NOW]
    assert t.state is not None and t.state.step is None and t.state.keep
    assert t.state.answers == {
        "danger": "no",
        "person": "my aunt rosa 702-555-0142",
        "take": "my id, my charger and my meds",
        "contact": "idk",
        "routines": "take the bus at a different time",
        "phone": "new password",
        "avoid": "the motel on fremont st",
    }


def test_spanish_without_keeping_anything_and_stopping_halfway() -> None:
    t = Talk(language="es")
    assert t.text("me ayudas a hacer un plan para salir de aqui") == q("plan_offer", "es")
    assert t.text("si") == q("plan_keep_question", "es")
    assert t.text("no") == q("plan_q_danger", "es")
    assert t.text("nel") == q("plan_q_person", "es")
    assert t.text("mi prima") == q("plan_q_place", "es")
    assert t.state is not None and t.state.answers == {}  # nothing kept, as chosen
    assert t.text("listo") == q("plan_stopped_not_kept", "es")
    assert t.state is not None and t.state.resume == "place" and t.state.step is None
    assert t.text("seguir") == q("plan_q_place", "es")  # "go on" picks up where it stopped


def test_danger_now_gives_911_first_and_a_person_then_goes_on() -> None:
    t = Talk()
    t.say("help me plan to get away from him")
    t.say("", p.START)
    t.say("", p.DONT_KEEP)
    danger = t.say("yes")
    assert danger is not None and danger.flags == "danger"
    assert danger.messages[0].text == render("crisis_danger")
    assert danger.messages[0].text.startswith("If you are in danger now, call 911")
    assert [b["payload"] for b in danger.messages[1].buttons] == [PERSON_PAYLOAD, p.GO_ON]
    assert t.text("", p.GO_ON) == q("plan_q_person")


def test_not_sure_about_danger_reminds_of_911_and_goes_on() -> None:
    t = Talk()
    for text, payload in (("make a plan", None), ("", p.START), ("", p.KEEP)):
        t.say(text, payload)
    assert t.text("kinda") == f"{q('plan_danger_unsure')} {q('plan_q_person')}"


@pytest.mark.parametrize(
    "ask",
    [
        "can you text me my plan",
        "send me the plan pls",
        "what was my plan again",
        "what did i say about where to go",
        "can i get a copy of my answers",
        "mandame mi plan porfa",
        "me puedes enviar el plan?",
        "que te dije?",
        "cual era mi plan",
    ],
)
def test_asked_for_the_plan_over_sms_it_is_never_sent(ask: str) -> None:
    t = Talk()
    for text, payload in (("make a plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(text, payload)
    t.say("my friend jess 702-555-0199")
    turn = t.say(ask)
    assert turn is not None and not turn.passthrough
    sent = " ".join(m.text for m in turn.messages)
    assert "jess" not in sent and "0199" not in sent
    assert "911" in sent and "988" in sent and "1-888-373-7888" in sent
    assert [b["payload"] for b in turn.messages[0].buttons] == [PERSON_PAYLOAD, p.GO_ON]
    assert t.state is not None and t.state.answers["person"] == "my friend jess 702-555-0199"
    assert t.text("go on") == q("plan_q_place")  # the question that was waiting


def test_on_the_web_page_the_kept_answers_may_be_shown() -> None:
    t = Talk(channel="web")
    for text, payload in (("safety plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(text, payload)
    t.say("my grandma")
    shown = t.say("show me my plan")
    assert shown is not None and shown.shows_answers
    assert "Trusted person: my grandma" in shown.messages[0].text
    assert "only on this page" in shown.messages[0].text


def test_delete_my_plan_forgets_it() -> None:
    t = Talk()
    for text, payload in (("safety plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(text, payload)
    t.say("my coach")
    assert t.text("delete my plan") == q("plan_deleted")
    assert t.state is None
    assert t.text("borra mis respuestas") == q("plan_nothing_kept")


def test_a_question_of_their_own_goes_to_the_assistant_and_the_plan_waits() -> None:
    t = Talk()
    for text, payload in (("safety plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(text, payload)
    aside = t.say("wait is there a shelter in reno for 16 year olds?")
    assert aside is not None and aside.passthrough
    assert [m.text for m in aside.messages] == [q("plan_set_aside")]  # after the answer
    assert t.state is not None and t.state.step is None and t.state.resume == "person"
    assert t.say("ok thanks") is None  # not for the plan now
    assert t.text("continue") == q("plan_q_person")
    assert t.say("", PERSON_PAYLOAD) is not None  # the assistant's choice: set aside
    assert t.state is not None and t.state.step is None


def test_a_question_left_for_hours_is_not_taken_for_an_answer() -> None:
    t = Talk()
    for text, payload in (("safety plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(text, payload)
    t.clock += p.STEP_TTL + timedelta(minutes=1)
    assert t.say("hey are you there") is None


def test_not_now_ends_it_without_keeping_anything() -> None:
    t = Talk()
    t.say("i need an escape plan")
    assert t.text("not now") == q("plan_not_now")
    assert t.state is None


def test_unclear_answer_to_keeping_asks_again_and_keeps_nothing_meanwhile() -> None:
    t = Talk()
    t.say("help me make a plan")
    t.say("yes")
    assert t.text("what do you mean") == q("plan_keep_question")
    assert t.state is not None and t.state.keep is None


def test_no_text_asks_for_a_carrier_keyword_and_none_says_safety_plan() -> None:
    """STOP, END, QUIT, CANCEL, PARAR... opt a number out (keywords.yml and the carrier): a
    youth who texts one back could never be reached again. Never suggested here."""
    words = load_planning().words
    carrier = {plain_words(w) for w in load_keywords()["stop"]}
    assert {"stop", "end", "parar"} <= carrier
    assert not carrier & set().union(*words.values())
    replies = [r for r in load_replies() if r.startswith("plan_") and r != "plan_console_title"]
    assert len(replies) > 20
    for reply_id in replies:
        for language in ("en", "es"):
            text = render(reply_id, "web" if reply_id == "plan_shown_web" else "sms", language,
                          plan_days="3")  # fmt: skip
            assert not carrier & set(plain_words(text).split()), reply_id
            assert "safety plan" not in text.lower()


def test_plain_words_reads_texting_style() -> None:
    assert plain_words("¿Sí, MÁNDAME mi plan?") == "si mandame mi plan"
    assert plain_words("I don\u2019t know") == "i dont know"
    assert load_planning().word("Idk!!") == "not_sure"
    assert load_planning().word("Skip.") == "skip"


@pytest.mark.parametrize(
    "text",
    [
        "can i talk to a real person",
        "is there a shelter near me",
        "where do i go tonight",
        "quiero hablar con una persona",
        "donde hay un refugio",
    ],
)
def test_a_request_of_their_own_is_not_taken_for_an_answer(text: str) -> None:
    t = Talk()
    for said, payload in (("make a plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(said, payload)
    aside = t.say(text)
    assert aside is not None and aside.passthrough
    assert t.state is not None and t.state.answers == {"danger": "no"}


def test_asking_to_start_again_while_a_question_waits_asks_that_question() -> None:
    t = Talk()
    for said, payload in (("make a plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(said, payload)
    assert t.text("i want to make a safety plan") == q("plan_q_person")


def test_no_dialogue_line_without_a_plan_is_taken_for_one() -> None:
    """Every line of the dialogue suite (written as youth and caregivers text, for other
    features): none that is not about a plan may start one, ask it back or delete it."""
    import yaml

    from tests.dialogues import harness

    lines = []
    for path in sorted(Path(harness.__file__).parent.glob("*.yml")):
        for dialogue in yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]:
            lines += [str(t["say"]) for t in dialogue.get("turns", []) if "say" in t]
    assert len(lines) > 500
    planning = load_planning()
    taken = [(line, planning.asks_for(line)) for line in lines
             if planning.asks_for(line) in ("start", "send_back", "delete")]  # fmt: skip
    assert taken == []


@pytest.mark.parametrize(
    "text",
    [
        "como te dije no tengo donde dormir",
        "lo que te dije es verdad",
        "i told you what he did",
        "he has a plan for me tonight",
        "im planning to leave friday",
        "what do i do now",
    ],
)
def test_everyday_words_are_not_about_a_plan(text: str) -> None:
    assert load_planning().asks_for(text) in (None, "aside")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ya no quiero seguir, dejalo", "es"),
        ("i dont want to do this anymore", "en"),
        ("can we stop now", "en"),
        ("no quiero contestar eso", "es"),
    ],
)
def test_wanting_to_stop_in_a_sentence_stops(text: str, language: str) -> None:
    t = Talk(language=language)
    for said, payload in (("make a plan", None), ("", p.START), ("", p.KEEP), ("no", None)):
        t.say(said, payload)
    t.say("mi prima lupita" if language == "es" else "my cousin")
    assert t.text(text) == q("plan_stopped_kept", language)


@pytest.mark.parametrize("text", ["mandame lo q te dije", "can u text me what i said"])
def test_asking_back_what_they_said_is_asking_for_the_plan(text: str) -> None:
    assert load_planning().asks_for(text) == "send_back"
