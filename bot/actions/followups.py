"""Follow-ups answered from the conversation's context: "send that again" / "the number again",
"what does that mean", "what do i do", and a bare "ok", "no" or "idk" after a question.

Each answer the assistant gives records what it was (`last_answer`: an id, never a text), which
hotlines' numbers it gave (`last_numbers`) and the question it asked (`last_question`:
bot/actions/context.py `remember`). These actions read them, so a follow-up gets the answer a
person means, for the person who is writing (who_is_asking), in their language.
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.asked import ADULTS, asked_in_words, term_asked
from bot.actions.basics import ActionOkAnytime, ActionShowMenu
from bot.actions.context import (
    NUMBER_WORDS,
    channel_of,
    language_of,
    latest_text,
    previous_user_metadata,
    reader_of,
    remember,
    say,
    send,
    user_texts,
    with_slot,
)
from bot.actions.crisis_again import (
    CRISIS_LOOKBACK,
    crisis_line_again,
    recent_crisis,
    recent_crisis_of,
)
from bot.actions.handoff import ActionTalkToPerson
from bot.actions.ideas import ActionNextIdea
from bot.actions.next_steps import HELPERS, SOMEONE_IN_CRISIS, crisis_told_of, next_steps_ref
from bot.actions.replies import send_answer, send_reference
from bot.actions.topics import ActionAnswerPending
from bot.actions.where import remembered_county
from resources.crisis_person import OTHER, names_self
from resources.guide import load_guide
from resources.guide_answers import explain, has_explanation
from resources.numbers import numbers_text
from resources.present import main_menu
from resources.replies import reply_numbers
from resources.reporting import reporting_line_ids
from resources.topics_in_words import topics_in

EMERGENCY = "emergency_911"  # hotlines.yml: in every danger sentence


# "yes please find someone": a yes that names a person asks for one, whatever was asked.
_PERSON_WORDS = re.compile(r"\b(person|someone|somebody|human|advocate|persona|alguien)\b", re.I)


def _last(tracker: Tracker) -> str:
    return str(tracker.get_slot("last_answer") or "")


def _question(tracker: Tracker) -> str:
    """The question the last answer asked. An offer of a person that the gateway added itself
    (after its safety net answered a message the assistant did not read as a crisis) counts too:
    the assistant never saw that offer, only the flag on the message it followed."""
    question = str(tracker.get_slot("last_question") or "")
    if previous_user_metadata(tracker).get("safety_net") and question != "ask_who":
        return "offer_person"
    return question


def _offer_person(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    channel, language = channel_of(tracker), language_of(tracker)
    say(dispatcher, "offer_person", channel, language, load_guide().menu("offer_person"))
    return remember(_last(tracker) or None, question="offer_person")


class ActionRepeatLast(Action):
    """ "Send that again": the last answer again; "the number again": only its numbers."""

    def name(self) -> str:
        return "action_repeat_last"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        last = _last(tracker)
        if last.startswith("places:"):  # the places' own numbers: the answer itself again
            return send_reference(dispatcher, tracker, last)
        numbers = [n for n in str(tracker.get_slot("last_numbers") or "").split(",") if n]
        wants_numbers = bool(NUMBER_WORDS.search(latest_text(tracker)))
        if wants_numbers and "reporting" in topics_in(latest_text(tracker)):
            # "what's the number to report again": the county's line first, wherever it was
            # in the answer that gave it (and even when that answer gave other numbers).
            local = reporting_line_ids(*remembered_county(tracker), danger=False)
            numbers = [*local, *(n for n in numbers if n not in local)]
        crisis = recent_crisis(tracker)
        if wants_numbers and crisis and set(numbers) <= {EMERGENCY}:
            # The safety net answered a crisis a message ago with its own numbers (the
            # assistant never sent them): "the number again?" means those.
            numbers = list(reply_numbers(f"crisis_{crisis}", channel, language))
            text = numbers_text(numbers, language)
            if text is not None:
                dispatcher.utter_message(text=text)
                return remember(last or f"reply:crisis_{crisis}", numbers)
        if not last or (wants_numbers and set(numbers) <= {EMERGENCY}):
            # Only 911 was given (every danger sentence has it, the greeting too): "the numbers
            # again" means the lines to call or text, which start with 911 anyway.
            return send_answer(dispatcher, tracker, "reply:hotlines_list")
        if wants_numbers or (numbers and last.startswith("reply:")):
            text = numbers_text(numbers, language) if numbers else None
            if text is not None:
                dispatcher.utter_message(text=text)
                return remember(last, numbers)
            if wants_numbers:
                given = say(dispatcher, "numbers_again_none", channel, language)
                return remember("reply:numbers_again_none", given)
        return send_reference(dispatcher, tracker, last)


class ActionExplain(Action):
    """ "What does that mean?": the last answer in plainer words when the guide has them; else
    an honest sorry and the offer of a person who can explain better."""

    def name(self) -> str:
        return "action_explain"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        last = _last(tracker)
        term = term_asked(latest_text(tracker), asked=True)
        if term is not None:
            # "que significa eso de safeline": the answer that explains that word.
            return send_answer(dispatcher, tracker, term, message="")
        if last.startswith("guide:") and has_explanation(last[len("guide:") :]):
            reply = explain(last[len("guide:") :], reader_of(tracker), channel, language)
            send(dispatcher, reply)
            return remember(last, reply.numbers)
        say(
            dispatcher, "explain_offer_person", channel, language, load_guide().menu("offer_person")
        )
        return remember(last or None, question="offer_person")


class ActionWhatToDo(Action):
    """ "What do I do?": the next steps for whoever is writing, after whatever came before.

    An adult gets what a parent or professional can do (and the county's reporting line); a
    young person worried about a friend, how to help a friend; a youth, the choices open to
    them. Only when nothing says who is writing, and the answers differ, one question first."""

    def name(self) -> str:
        return "action_what_to_do"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Most people who write "what do i do" with nothing said about who they are are young
        # people asking for themselves: answer first, for them (the choices say more).
        reader = reader_of(tracker) or "youth"
        last = _last(tracker)
        category, whose = recent_crisis_of(tracker)
        told = crisis_told_of(last, category, whose)
        if (
            told is not None
            and (reader in HELPERS or told == OTHER)
            and not any(names_self(t) for t in user_texts(tracker)[-CRISIS_LOOKBACK - 1 :])
        ):
            # "my son talks about ending his life", then "what do i do": what a person worried
            # about someone can do now, not the next steps after exploitation.
            return send_answer(dispatcher, tracker, SOMEONE_IN_CRISIS)
        if last.startswith("reply:crisis_danger") and reader in ADULTS:
            # "ok i called them. now what" from a parent after the danger reply: what an adult
            # can do next (the offer of a person is among its choices).
            return send_answer(dispatcher, tracker, next_steps_ref(reader, last))
        if last.startswith(("reply:crisis_", "reply:offer_person")):
            return _offer_person(dispatcher, tracker)
        return send_answer(dispatcher, tracker, next_steps_ref(reader, last))


# "idk" is a bare unsure; "what if i'm not sure it's abuse" is a question.
UNSURE_WORDS = 4


class ActionUnsure(Action):
    """ "idk", "no se", "maybe": answered by what was asked, never with "I didn't understand"."""

    def name(self) -> str:
        return "action_unsure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        question = _question(tracker)
        asked = asked_in_words(tracker)
        if asked is not None and question != "ask_who":
            # "idk maybe me", "thats kinda me rn": the words say more than "idk".
            return send_answer(dispatcher, tracker, asked)
        if question == "ask_who":
            say(dispatcher, "unsure_who", channel, language)
            return await ActionAnswerPending().run(dispatcher, tracker, domain)
        if question == "offer_person":
            say(dispatcher, "unsure_person", channel, language)
            crisis_line_again(dispatcher, tracker, ())
            return remember(_last(tracker) or None)
        if question == "idea":
            return await ActionNextIdea().run(dispatcher, tracker, domain)
        if reader_of(tracker) in ADULTS and len(latest_text(tracker).split()) >= UNSURE_WORDS:
            # "what if i'm not sure it's abuse", "how do i know for sure": an adult who is not
            # sure needs what an adult can do (no proof is needed to ask for help).
            return send_answer(dispatcher, tracker, "guide:adult_next_steps")
        say(dispatcher, "unsure_menu", channel, language, main_menu())
        return remember(_last(tracker) or None, question="menu")


class ActionAffirm(Action):
    """ "yes", "ok", "sure": yes to the question asked (a person, the next idea), else the menu."""

    def name(self) -> str:
        return "action_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = _question(tracker)
        if question == "offer_person" or _PERSON_WORDS.search(latest_text(tracker)):
            return await ActionTalkToPerson().run(dispatcher, tracker, domain)
        if question == "idea":
            return await ActionNextIdea().run(dispatcher, tracker, domain)
        if question == "ask_who":
            return await ActionAnswerPending().run(dispatcher, tracker, domain)
        return await ActionShowMenu().run(dispatcher, tracker, domain)


class ActionDeny(Action):
    """ "no", "not now", "nah": respected at once. After "Is this for you?", a no means it is
    for someone else."""

    def name(self) -> str:
        return "action_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _question(tracker) == "ask_who":
            # The slot is set for the answer too: a tracker copy that already says so.
            answered = await ActionAnswerPending().run(
                dispatcher, with_slot(tracker, "who_is_asking", "someone_else"), domain
            )
            return [SlotSet("who_is_asking", "someone_else"), *answered]
        return await ActionOkAnytime().run(dispatcher, tracker, domain)
