"""Greeting, goodbye, out of scope, the main menu, and stopping at any point. The texts live in
resources/data/replies.yml (they name 911, so they are not domain responses); the three-button
menu comes from resources.present.main_menu()."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import (
    channel_of,
    language_of,
    latest_text,
    reader_of,
    remember,
    safety_net_answered,
    say,
)
from bot.actions.replies import offer_person_after_crisis, send_reference
from resources.guide import load_guide
from resources.present import main_menu
from resources.replies import render

# Words that tie a message to the places just listed ("is it open tonight?", "do they take...").
ABOUT_PLACES = re.compile(
    r"\b(open|opens|closed|close|hours|tonight|tonite|night|nite|after|there|them|they|"
    r"abierto|cerrado|horario|noche|ahi|alli)\b",
    re.IGNORECASE,
)


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if reader_of(tracker) in ("caregiver", "professional"):
            # "hi im a parent": who we are, then what we can do for adults.
            numbers = say(dispatcher, "greet", channel, language)
            say(dispatcher, "caregiver_menu", channel, language, load_guide().menu("caregiver"))
            return remember("reply:greet", numbers, question="menu", tracker=tracker)
        numbers = say(dispatcher, "greet", channel, language, main_menu())
        return remember("reply:greet", numbers, question="menu", tracker=tracker)


class ActionThank(Action):
    """ "thanks": you're welcome, in the person's language (the question asked still stands)."""

    def name(self) -> str:
        return "action_thank"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, "thank", channel_of(tracker), language_of(tracker))
        return []


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        numbers = say(dispatcher, "goodbye", channel_of(tracker), language_of(tracker))
        return remember("reply:goodbye", numbers)


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        last = str(tracker.get_slot("last_answer") or "")
        if (
            last.startswith("places:")
            and last != "places:national"
            and ABOUT_PLACES.search(latest_text(tracker))
        ):
            # "what's open after 7pm?" right after a list of places is about those places.
            return send_reference(dispatcher, tracker, "places:open_now")
        say(dispatcher, "out_of_scope", channel_of(tracker), language_of(tracker), main_menu())
        return remember("reply:out_of_scope", question="menu")


class ActionOfferPerson(Action):
    """The question "would you like a person?" with yes / not now, in the person's language
    (after crisis words, the emergency options come first; bot/data/rules/crisis.yml)."""

    def name(self) -> str:
        return "action_offer_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return offer_person_after_crisis(dispatcher, tracker)


class ActionOkAnytime(Action):
    """The answer to "not now": no pressure, the door stays open."""

    def name(self) -> str:
        return "action_ok_anytime"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, "ok_anytime", channel_of(tracker), language_of(tracker))
        return [SlotSet("last_question", None)]


class ActionShowMenu(Action):
    """What would help? The caregiver menu for someone asking about another person, else the
    main menu (after "yes", "for my daughter" with nothing pending, or "more" with no list)."""

    def name(self) -> str:
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if reader_of(tracker) in ("caregiver", "professional"):
            say(dispatcher, "caregiver_menu", channel, language, load_guide().menu("caregiver"))
        else:
            say(dispatcher, "what_would_help", channel, language, main_menu())
        return [SlotSet("last_question", "menu")]


class ActionStopChat(Action):
    """Stop now, whatever was going on: a short neutral close, and nothing kept for next time
    (no topic, no idea list, no place). Inside the place form the rules close the form too; the
    gateway's EXIT keyword does the same without us.

    When the gateway's safety net already answered this message with the emergency options,
    "Okay, I'll stop here" would read as the helper walking away from someone in crisis (NLU
    can take "me quiero morir" for "quiero parar"): the close is left out, the reset kept."""

    def name(self) -> str:
        return "action_stop_chat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not safety_net_answered(tracker):
            dispatcher.utter_message(
                text=render("stop_chat", channel_of(tracker), language_of(tracker))
            )
        return [AllSlotsReset()]
