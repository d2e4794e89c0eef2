"""Twenty conversations over signed SMS against the real stack, written the way a new person
would type them: ten from young people, ten from parents, foster parents and teachers.

Each asserts the kind of answer (numbers present, 911 first in danger, the few warning signs
that matter, ideas one at a time) and, for every reply, what must never reach a phone: raw
button payloads, system jargon, the seeds' street slang, "safety plan", texts over 320 characters.
"""

from __future__ import annotations

import re

import pytest

from resources import load_catalog
from tests.e2e.conftest import Phone

pytestmark = pytest.mark.e2e

CATALOG = load_catalog()
NHTH = CATALOG.hotline("nhth").channels_of("call")[0].value
NCMEC = CATALOG.hotline("ncmec").channels_of("call")[0].value
RUNAWAY = CATALOG.hotline("runaway_safeline").channels_of("call")[0].value
LGBT = CATALOG.hotline("lgbt_youth_talkline").channels_of("call")[0].value
JARGON = re.compile(r"\b(CSEC|DMST|AWOL|NRIT|MDT|CISP|placement disruption)\b")
SLANG = re.compile(r"\b(daddy|the game|the life|quota|the track|wifey|pimp)\b", re.IGNORECASE)
NEVER = re.compile(r"safety plan|you are safe|you're safe|you are a victim", re.IGNORECASE)


def say(phone: Phone, body: str) -> str:
    """Send one SMS; check what every reply must be; return the replies as one text."""
    texts = phone.send(body)
    assert texts, f"no reply to {body!r}"
    for text in texts:
        assert len(text) <= 320, text
        assert not re.search(r"(^|\s)/[a-z_]+", text), f"raw payload in {text!r}"
        assert not JARGON.search(text), text
        assert not NEVER.search(text), text
    return "\n".join(texts)


def first(phone: Phone, body: str) -> list[str]:
    texts = phone.send(body)
    assert texts
    return texts


# -- young people ------------------------------------------------------------------------------


def test_youth_greeting_then_the_first_choice_then_a_city(phone: Phone):
    hello = say(phone, "hey")
    assert hello.startswith("Hi, this is Waypoint") and "911" in hello
    assert "1) A place to stay" in hello
    asked = say(phone, "1")
    assert "city or ZIP code" in asked
    answer = say(phone, "reno")
    assert any(p.phone in answer for p in CATALOG.places if p.region == "reno" and p.phone)


def test_youth_kicked_out_in_vegas_gets_a_real_place_tonight(phone: Phone):
    answer = say(phone, "my mom kicked me out and i need somewhere to sleep tonight in vegas")
    las_vegas = {p.phone for p in CATALOG.places if p.region == "las_vegas" and p.phone}
    assert any(number in answer for number in las_vegas), answer
    assert not SLANG.search(answer)


def test_youth_in_danger_gets_911_first_then_a_choice(phone: Phone):
    texts = first(phone, "he wont let me leave the room and im really scared")
    assert "911" in texts[0] and texts[0].index("911") < 40
    assert "person" in "\n".join(texts).lower()
    later = say(phone, "2")  # "Not now"
    assert "I'm here" in later


def test_youth_suicidal_gets_988_before_anything_else(phone: Phone):
    texts = first(phone, "honestly i dont want to be alive anymore")
    assert "988" in texts[0]
    assert "911" in "\n".join(texts)


def test_youth_asking_is_this_normal_is_not_blamed_or_labelled(phone: Phone):
    answer = say(
        phone,
        "my bf is 24 and im 15 he says i owe him for all the stuff he bought me is that normal",
    )
    assert "not your fault" in answer
    assert not SLANG.search(answer)
    assert re.search(r"\n1\) ", answer), "choices come as a numbered list"


def test_youth_who_cannot_call_gets_lines_to_text(phone: Phone):
    answer = say(phone, "can i text someone instead of calling, i cant talk out loud here")
    assert "988" in answer and "741741" in answer
    assert "44357" in answer


def test_youth_asking_if_parents_will_be_told_gets_an_honest_answer(phone: Phone):
    # "my parents" says who is asking: no "for you or someone else?" question.
    answer = say(phone, "if i tell you stuff will you tell my parents")
    assert "don't call your parents" in answer
    assert "may have to report" in answer


def test_youth_getting_away_gets_one_idea_at_a_time(phone: Phone):
    one = say(phone, "how do i get away from him without him finding out")
    assert "one idea" in one.lower() or "one at a time" in one.lower()
    assert "Another idea" in one
    two = say(phone, "1")  # "Another idea"
    assert two != one and "Another idea" in two
    assert one.count("\n") <= 4 and two.count("\n") <= 4  # never a checklist


def test_youth_thinking_of_running_away_then_stopping(phone: Phone):
    answer = say(phone, "i think im gonna run away tonight i cant stay here")
    assert RUNAWAY in answer or "1-800-RUNAWAY" in answer
    closed = say(phone, "i want to stop now")
    assert closed.startswith("Okay, I'll stop here")
    assert "911" not in closed


def test_youth_lgbtq_kicked_out_gets_affirming_support(phone: Phone):
    answer = say(phone, "im trans and my parents kicked me out last week")
    assert "support for who you are" in answer and LGBT in answer
    assert "1) A place to stay" in answer


def test_youth_repair_never_says_i_did_not_understand_twice(phone: Phone):
    once = say(phone, "asdfgh")
    assert "not sure" in once.lower()
    twice = say(phone, "qwerty zxcv")
    assert "not sure" not in twice.lower() and "didn't" not in twice.lower()
    assert "988" in twice and "911" in twice


# -- parents, foster parents, teachers ---------------------------------------------------------


def test_parent_missing_daughter_gets_police_and_ncmec_then_the_return(phone: Phone):
    answer = say(phone, "my daughter is 15 and hasnt come home since friday what do i do")
    assert "police" in answer and "911" in answer
    assert NCMEC in answer or "1-800-THE-LOST" in answer
    back = say(phone, "1")  # "When they come back"
    assert "welcome" in back and "questions" in back


def test_parent_asking_for_warning_signs_gets_a_few_and_a_choice(phone: Phone):
    answer = say(phone, "what are the warning signs my son is being trafficked")
    assert "One sign alone proves nothing" in answer
    assert "1) Partners and phones" in answer
    money = say(phone, "2")
    assert money.startswith("Signs with money and things")


def test_parent_describing_signs_gets_the_group_that_matters(phone: Phone):
    answer = say(
        phone,
        "my daughter has a much older boyfriend and a second phone she wont explain, "
        "what signs should i look for",
    )
    assert answer.startswith("Signs in relationships and phones")


def test_foster_parent_asking_about_risk_then_protection(phone: Phone):
    risk = say(phone, "as a foster parent which kids are most at risk of being trafficked")
    assert "foster care" in risk and "run away" in risk
    protect = say(phone, "1")  # "What protects them"
    assert "caring adults" in protect


def test_parent_asking_how_to_talk_gets_tips_one_at_a_time(phone: Phone):
    tip = say(phone, "how do i talk to my daughter about this without pushing her away")
    assert "Stay calm" in tip and "Another tip" in tip
    nxt = say(phone, "another one")
    assert "Don't push for details" in nxt


def test_parent_worried_about_online_contact(phone: Phone):
    tip = say(phone, "how do i protect my kids online, a stranger keeps messaging my son")
    assert "online" in tip
    more = "\n".join(say(phone, "more") for _ in range(3))
    assert NCMEC in more or "1-800-THE-LOST" in more


def test_neighbour_reporting_gets_911_and_the_tip_line(phone: Phone):
    answer = say(phone, "i think the girl next door is being trafficked how do i report it")
    assert answer.index("911") < answer.index(NHTH)
    assert "police" in answer


def test_teacher_asking_what_trafficking_means_gets_the_definition(phone: Phone):
    # Answer first, then tailor: the definition comes at once, the question after it.
    asked = say(phone, "what does sex trafficking actually mean")
    assert "No force is needed" in asked and "under 18" in asked
    assert asked.index("No force is needed") < asked.index("for you, or for someone else")
    choice = re.search(r"(\d)\) For my child or student", asked)
    assert choice, asked
    following = say(phone, choice.group(1))
    assert "for you, or for someone else" not in following and "No force" not in following
    assert "signs" in following.lower()  # guide.yml next: a caregiver gets the warning signs


def test_foster_parent_asking_about_confidentiality_is_told_the_limits(phone: Phone):
    answer = say(phone, "im a foster parent, is it confidential if i call the hotline about a kid")
    assert "child welfare" in answer and "police" in answer


def test_parent_asking_for_numbers_gets_the_lines_for_adults(phone: Phone):
    answer = say(phone, "what numbers can i call, im worried about my daughter")
    assert "911" in answer and NHTH in answer
    assert NCMEC in answer or "1-800-THE-LOST" in answer
