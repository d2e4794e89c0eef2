"""One idea at a time: "Another idea" gives the next one of the list that was started (ideas for
looking after yourself, phone safety, coping, tips for caregivers). Never the whole list on the
phone (SEED_MAP §5.2: a written plan on a youth's device can put them at risk)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import channel_of, language_of, reader_of, remember, say, send
from resources.guide import load_guide
from resources.guide_answers import next_idea
from resources.present import main_menu


class ActionNextIdea(Action):
    def name(self) -> str:
        return "action_next_idea"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        list_id = tracker.get_slot("idea_list")
        if not list_id and reader_of(tracker) in ("caregiver", "professional"):
            # "what else?" from an adult: what else we can help adults with.
            say(dispatcher, "caregiver_menu", channel, language, load_guide().menu("caregiver"))
            return remember(tracker.get_slot("last_answer"), question="menu")
        if not list_id:
            say(dispatcher, "no_more_ideas", channel, language, main_menu())
            return remember(tracker.get_slot("last_answer"), question="menu")
        index = int(tracker.get_slot("idea_index") or 0) + 1
        reply = next_idea(
            str(list_id), index, channel, language, reader=reader_of(tracker) or "youth"
        )
        send(dispatcher, reply)
        question = "idea" if reply.idea_list else None
        return [
            SlotSet("idea_list", reply.idea_list),
            SlotSet("idea_index", reply.idea_index),
            *remember(f"guide:{reply.ref}", reply.numbers, question),
        ]
