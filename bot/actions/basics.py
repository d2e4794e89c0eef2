"""Greeting, goodbye, out of scope, the main menu, and stopping at any point. The texts live in
resources/data/replies.yml (they name 911, so they are not domain responses); the three-button
menu comes from resources.present.main_menu()."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import as_buttons, channel_of, language_of, reader_of
from resources.guide import load_guide
from resources.present import main_menu
from resources.replies import render


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = render("greet", channel_of(tracker), language_of(tracker))
        dispatcher.utter_message(text=text, buttons=main_menu())
        return []


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=render("goodbye", channel_of(tracker), language_of(tracker)))
        return []


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = render("out_of_scope", channel_of(tracker), language_of(tracker))
        dispatcher.utter_message(text=text, buttons=main_menu())
        return []


class ActionShowMenu(Action):
    """What would help? The caregiver menu for someone asking about another person, else the
    main menu (after "yes", "for my daughter" with nothing pending, or "more" with no list)."""

    def name(self) -> str:
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if reader_of(tracker) == "caregiver":
            text = render("caregiver_menu", channel, language)
            dispatcher.utter_message(text=text, buttons=as_buttons(load_guide().menu("caregiver")))
        else:
            text = render("what_would_help", channel, language)
            dispatcher.utter_message(text=text, buttons=main_menu())
        return []


class ActionStopChat(Action):
    """Stop now, whatever was going on: a short neutral close, and nothing kept for next time
    (no topic, no idea list, no place). Inside the place form the rules close the form too; the
    gateway's EXIT keyword does the same without us."""

    def name(self) -> str:
        return "action_stop_chat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=render("stop_chat", channel_of(tracker), language_of(tracker))
        )
        return [AllSlotsReset()]
