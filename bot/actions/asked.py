"""What a message plainly asks, read from its words and from who is writing, for when the
classifier was unsure or placed it elsewhere: "will they know it was me" is a question about
confidentiality whatever intent it got, "who do i call" from a parent asks how to report (not
for the youth hotlines), "should i call her parents first" from a teacher asks what an adult
can do.

The words come from resources/data/message_topics.yml. The answer this module picks replaces
the intent's only where the intent's own answer would not answer the question; a missing child
or a crisis keeps its own answer (its first step is 911 and the NCMEC line, not a report form).
"""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.actions.context import NUMBER_WORDS, latest_text, reader_of, split_ref, user_texts
from bot.actions.crisis_again import recent_crisis_of
from bot.actions.next_steps import HELPERS, SOMEONE_IN_CRISIS, crisis_told_of
from bot.actions.where import county_in
from resources.crisis_person import OTHER
from resources.topics_in_words import about, topics_in

ADULTS = ("caregiver", "professional")
# Answers after which a question about hours is about the reporting line's hours.
REPORTING_ANSWERS = ("guide:how_to_report", "guide:adult_next_steps")
# Entries whose answer already covers these questions in its own way: never replaced.
KEEPS_ITS_ANSWER = frozenset(
    {"child_missing", "how_to_report", "confidentiality", "in_trouble", "running_away"}
)  # (a question about what a word means is answered before this list is looked at)


# A word from an answer the person asks about (resources/data/message_topics.yml term_*): the
# answer that explains it.
TERMS = {
    "term_exploitation": "guide:exploitation_meaning",
    "term_runaway_line": "guide:running_away.stranded",
}


def term_asked(text: str, asked: bool = False) -> str | None:
    """The answer explaining a word this message asks the meaning of ("q es trata de
    personas?"); `asked`: the intent already says it is a question about a meaning."""
    topics = topics_in(text)
    terms = sorted(TERMS.keys() & topics)
    if not terms or not (asked or "asks_meaning" in topics):
        return None
    return TERMS[terms[0]]


def asked_in_words(tracker: Tracker) -> str | None:
    """The answer ("guide:confidentiality") the words of this message ask for, for this
    reader, or None when they do not say more than the intent did."""
    text = latest_text(tracker)
    topics = topics_in(text)
    reader = reader_of(tracker)
    if reader in HELPERS and "with_them_now" in topics:
        # "she snuck out and shes with him now, she wont pick up": danger first (911, then
        # the hotline for advice), whatever the message read as; the next steps when asked.
        return "reply:crisis_danger_other"
    if "confidential" in topics:
        return "guide:confidentiality"
    term = term_asked(text)
    if term is not None:
        return term
    if "boys" in topics:
        # "can this happen to boys?": for an adult, the signs (which say it happens to boys as
        # well as girls); for a young person, what it is (no force needed, never their fault).
        return "guide:warning_signs" if reader in ADULTS else "guide:exploitation_meaning"
    if "take_down" in topics and about("pictures", user_texts(tracker)):
        # "can they actually take them down??": the CyberTipline and Take It Down (for an
        # adult, after the reporting answer, which that help follows).
        return "guide:how_to_report" if reader in ADULTS else "reply:pictures_help"
    if "trafficking_line" in topics:
        return "reply:hotlines_caregiver" if reader in ADULTS else "reply:hotlines_list"
    if "its_me" in topics and reader not in ADULTS:
        # "thats kinda me rn": the choices open to a young person, not a menu.
        return "guide:youth_next_steps"
    if reader in ADULTS and NUMBER_WORDS.search(text) and county_in(text)[0]:
        # "number for washoe?" from a coach: that county's reporting line.
        return "guide:how_to_report"
    if reader in ADULTS and "for_the_youth" in topics:
        # "any line she could ring on her own?": the lines a young person can call or text.
        return "reply:hotlines_list"
    if reader in ADULTS and topics & {"reporting", "urgent"}:
        return "guide:how_to_report"
    last = str(tracker.get_slot("last_answer") or "")
    reported = last.startswith(REPORTING_ANSWERS) or about("reporting", user_texts(tracker))
    if "after_hours" in topics and reported:
        # "is someone there on weekends" in a conversation about reporting: the reporting
        # answer, with the line that answers after hours.
        return "guide:how_to_report"
    if reader == "friend" and "reporting" in topics:
        return "guide:how_to_report"
    if "tell_adults" in topics:
        if reader in ADULTS:
            return "guide:adult_next_steps"
        if reader == "friend":
            return "guide:friend_help"
    return None


# Entries a question about what to take can be read as: a young person planning to leave.
LEAVING = frozenset({"running_away", "safety_ideas", "hotlines", "youth_next_steps"})


def instead_of(tracker: Tracker, entry_id: str) -> str | None:
    """The answer to give instead of the intent's entry `entry_id`, or None to keep it."""
    topics = topics_in(latest_text(tracker))
    if entry_id in LEAVING and reader_of(tracker) not in ADULTS and "take" in topics:
        # "me quiero ir de la casa de mi novio, q me llevo?": what to take, not running away.
        return "guide:safety_ideas.take"
    youth = reader_of(tracker) not in ADULTS
    if entry_id in LEAVING - {"running_away"} and youth and "stranded" in topics:
        # "y si se me apaga antes de llegar": a phone about to die on the way is being
        # stranded (the Runaway Safeline, Home Free, the nearest place open now).
        return "guide:running_away.stranded"
    term = term_asked(latest_text(tracker))
    if term is not None and split_ref(term.partition(":")[2])[0] != entry_id:
        return term
    if entry_id in KEEPS_ITS_ANSWER:
        return None
    ref = asked_in_words(tracker)
    if ref is None or split_ref(ref.partition(":")[2])[0] == entry_id:
        return None
    return ref


def helping_in_crisis(tracker: Tracker, entry_id: str) -> str | None:
    """Right after someone else's suicidal thoughts or self-harm, "should i call 988 for her?"
    and "she made me promise not to tell anyone" are answered by what a person worried about
    someone can do now (988 helps them too; telling a trusted adult is okay even when asked to
    keep it secret), not by the friend answer again; None otherwise."""
    if entry_id == "someone_in_crisis":
        return None
    if not topics_in(latest_text(tracker)) & {"call_for_them", "keep_secret"}:
        return None
    category, whose = recent_crisis_of(tracker)
    last = str(tracker.get_slot("last_answer") or "")
    return SOMEONE_IN_CRISIS if crisis_told_of(last, category, whose) == OTHER else None
