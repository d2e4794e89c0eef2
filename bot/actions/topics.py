"""Guide answers (resources/data/guide.yml): what trafficking means, "is this normal?",
confidentiality, getting in trouble, running away, LGBTQ support, a missing child, warning signs,
risk, talking with a teen, online safety, reporting, helping a friend, and ideas for looking
after yourself.

Answer first, then tailor: a question gets its answer in the first reply, for whoever is
writing when that is known, else for the likely reader. Only for the topics whose next step
differs by reader (guide.yml `ask_who`), and only when nothing says who is writing, the question
"Is this for you, or for someone else?" follows the answer; the reply to it gives that reader's
next step (guide.yml `next`).
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.asked import helping_in_crisis, instead_of
from bot.actions.context import (
    channel_of,
    language_of,
    latest_entity,
    latest_intent,
    latest_text,
    reader_of,
    remember,
    safety_net_answered,
    say,
    split_ref,
    user_texts,
)
from bot.actions.handoff import ActionTalkToPerson
from bot.actions.replies import offer_person_after_crisis, send_answer, send_guide, send_reference
from bot.actions.where import need_in, places_for
from resources.guide import Entry, load_guide
from resources.guide_answers import answer
from resources.present import main_menu
from resources.topics_in_words import topics_in
from resources.who import role_in

# An adult asking about a topic written for young people gets the adults' version of it: a
# parent worried about their child's friend needs what an adult can do. A young person worried
# about a friend who asks how to talk to them, whether to tell a parent, or about a friend who
# is gone, gets what a friend can do (the adults' entries speak to parents).
# Safety ideas speak to the young person in danger (001 L3403-3463): a parent or a teacher who
# asks "what if he shows up at the house?" needs what an adult can do (911 in danger first), and
# one asking whether he can read her texts needs the online-safety answer for adults.
FOR_ADULTS = {
    "friend_help": "adult_next_steps",
    "safety_ideas": "adult_next_steps",
    "ideas_phone": "online_tips",
}
# A friend asking how to stop a boyfriend tracking her friend's phone ("mi amiga dice q su
# novio le rastrea el cel") gets the phone ideas for a friend (friend_help's `phone` part, by
# its cue words), not the ideas that speak to the young person herself.
FOR_FRIENDS = {
    "talk_tips": "friend_help",
    "child_missing": "friend_help",
    "ideas_phone": "friend_help",
}
# A young person who says in this message it is about them ("tengo 14 y mi novio tiene 23")
# gets the answer about their own situation, even when the message read as worry about a
# friend.
FOR_YOUTH = {"friend_help": "not_okay_situations"}


class ActionAnswerTopic(Action):
    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        entry = load_guide().for_intent(latest_intent(tracker))
        if entry is None:  # a rule sent an intent the guide has no entry for: never silent
            say(dispatcher, "what_would_help", channel, language, main_menu())
            return remember(None, question="menu")
        if safety_net_answered(tracker):
            # The gateway already sent the emergency options for this message: the offer of a
            # person comes next, not a guide topic (a parent writing "my daughter just told me
            # she wants to die" needs 988 and a person first, not tips on talking).
            return offer_person_after_crisis(dispatcher, tracker)
        reader = reader_of(tracker)
        if reader in ADULTS:
            entry = load_guide().entry(FOR_ADULTS.get(entry.id, entry.id))
        elif reader == "friend":
            entry = load_guide().entry(FOR_FRIENDS.get(entry.id, entry.id))
        elif role_in(latest_text(tracker)) == "self":
            entry = load_guide().entry(FOR_YOUTH.get(entry.id, entry.id))
        text = latest_text(tracker)
        if "wants_person" in topics_in(text):
            # "can i talk to a guy about it": a person, whatever topic it read as.
            return await ActionTalkToPerson().run(dispatcher, tracker, domain)
        helping = helping_in_crisis(tracker, entry.id)
        if helping is not None:
            return send_answer(dispatcher, tracker, helping)
        if reader == "friend" and entry.id == "confidentiality" and _about_the_friend(text):
            # "she made me promise not to tell anyone": not a question about our privacy but
            # about helping her; what a friend can do (which says who can help).
            return send_answer(dispatcher, tracker, "guide:friend_help")
        other = instead_of(tracker, entry.id)
        if other is not None:
            # "should i talk to her parents" from a pastor reads as talking with a teen; its
            # words ask what an adult can do (bot/actions/asked.py).
            return send_answer(dispatcher, tracker, other)
        reply = answer(
            entry.id,
            reader,
            channel,
            language,
            message=latest_text(tracker),
            subtopic=latest_entity(tracker, "subtopic"),
            earlier=user_texts(tracker)[-EARLIER_MESSAGES - 1 : -1],
            previous=previous_part(tracker, entry.id),
        )
        events = send_guide(dispatcher, tracker, reply)
        if entry.ask_who and reader is None and entry.next and "immigration" not in topics_in(text):
            # Not after the papers answer send_guide added: three texts are enough, and what
            # that answer says holds whoever is asking.
            say(dispatcher, "ask_who_next", channel, language, load_guide().menu("ask_who"))
            events += [SlotSet("pending_topic", entry.id), SlotSet("last_question", "ask_who")]
        return events


_THIRD_PERSON = re.compile(r"\b(she|he|her|him|ella|shes|hes)\b", re.IGNORECASE)
_TO_US = re.compile(r"\b(you|u|ya|ur|your|te|tu|usted)\b", re.IGNORECASE)


def _about_the_friend(text: str) -> bool:
    """True when a message tells what the friend said or wants ("she doesnt want to tell
    anyone"), not a question to us ("will you tell her parents?")."""
    return bool(_THIRD_PERSON.search(text)) and not _TO_US.search(text)


# How many earlier messages can say which part of a topic a short follow-up is about.
EARLIER_MESSAGES = 3


def previous_part(tracker: Tracker, entry_id: str) -> str | None:
    """The part of this entry the last answer gave ("came_back" after
    "guide:child_missing.came_back"), or None when the last answer was about something else."""
    last_entry, part = split_ref(str(tracker.get_slot("last_answer") or ""))
    return part or None if last_entry == entry_id else None


class ActionAnswerPending(Action):
    """The reply to "Is this for you, or for someone else?": the next step for that reader of
    the topic that was answered. With nothing waiting ("im asking for my
    son"), what we can help that reader with."""

    def name(self) -> str:
        return "action_answer_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        pending = str(tracker.get_slot("pending_topic") or "")
        reader = reader_of(tracker)
        last = str(tracker.get_slot("last_answer") or "")
        if not pending and reader not in ADULTS:
            need = need_in(latest_text(tracker))
            if need is not None:
                # "im 17 and in henderson and i dont have anywhere to sleep": who they are and
                # what they need; the places for it, not a menu.
                return places_for(dispatcher, tracker, need)
            if last.startswith("places:") and last != "places:national":
                # "im 16 does that matter" right after places: the places again, for that age.
                return send_reference(dispatcher, tracker, last)
        if not pending and last.startswith("guide:") and reader is not None:
            # "for my stepdaughter" after an answer: the same answer, for that reader.
            return send_answer(dispatcher, tracker, last, "")
        if not pending:
            described = _situation_ref(latest_text(tracker)) if reader in ADULTS else None
            if described is not None:
                # "soy tia de una muchacha de 16 ... se va con un señor de 30": who they are AND
                # what is happening. What an adult can do (or how to report, when asked), not
                # a menu.
                return send_answer(dispatcher, tracker, described, "")
            if reader in ADULTS:
                menu = load_guide().menu("caregiver")
                say(dispatcher, "caregiver_menu", channel, language, menu)
            else:
                say(dispatcher, "what_would_help", channel, language, main_menu())
            return remember(None, question="menu")
        entry = load_guide().entry(pending)
        ref = next_step(entry, reader)
        return [SlotSet("pending_topic", None), *send_answer(dispatcher, tracker, ref, "")]


ADULTS = ("caregiver", "professional")
# A message that says who is writing and also tells what is happening has more words than "im
# her mom" / "soy maestra".
SITUATION_WORDS = 9


def _situation_ref(text: str) -> str | None:
    """The answer for an adult's message that tells a situation besides who they are."""
    if len(text.split()) < SITUATION_WORDS or text.startswith("/"):
        return None
    if topics_in(text) & {"reporting", "pictures"}:
        return "guide:how_to_report"
    return "guide:adult_next_steps"


def next_step(entry: Entry, reader: str | None) -> str:
    """What follows an answer given before we knew who is writing: the entry's next step for
    this reader, else the entry itself for this reader."""
    wanted = reader or entry.likely_reader()
    target = (entry.next or {}).get(wanted)
    return f"guide:{target}" if target else f"guide:{entry.id}"
