"""Guide answers (resources/data/guide.yml): what trafficking means, "is this normal?",
confidentiality, getting in trouble, running away, LGBTQ support, a missing child, warning signs,
risk, talking with a teen, online safety, reporting, and ideas for looking after yourself.

"Is this for you or someone else?" is asked only for the topics whose answers differ
(guide.yml `ask_who`) and only when we cannot tell; the question waits in `pending_topic`.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import (
    channel_of,
    language_of,
    latest_entity,
    latest_intent,
    latest_text,
    reader_of,
    say,
    send,
)
from resources.guide import Answer, Entry, answer, load_guide
from resources.present import main_menu

# An entry written for one reader tells us who is asking ("is this normal?" is a youth's
# question; "warning signs" a caregiver's), unless the person already said otherwise.
ASKER_OF_AUDIENCE = {"youth": "self", "caregiver": "someone_else"}


def answer_events(entry: Entry, reply: Answer, tracker: Tracker) -> list[EventType]:
    """Slots after an answer: who is asking, where an idea list stands, nothing pending."""
    events: list[EventType] = [SlotSet("pending_topic", None)]
    if entry.audience in ASKER_OF_AUDIENCE and not tracker.get_slot("who_is_asking"):
        events.append(SlotSet("who_is_asking", ASKER_OF_AUDIENCE[entry.audience]))
    events.append(SlotSet("idea_list", reply.idea_list))
    events.append(SlotSet("idea_index", reply.idea_index))
    return events


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
            return []
        reader = reader_of(tracker)
        if entry.ask_who and reader is None:
            say(dispatcher, "ask_who", channel, language, load_guide().menu("ask_who"))
            return [SlotSet("pending_topic", entry.id)]
        reply = answer(
            entry.id,
            reader,
            channel,
            language,
            message=latest_text(tracker),
            subtopic=latest_entity(tracker, "subtopic"),
        )
        send(dispatcher, reply)
        return answer_events(entry, reply, tracker)


class ActionAnswerPending(Action):
    """The reply to "for you or someone else?": answer the topic that was waiting, for that
    reader. With nothing waiting ("im asking for my son"), show what we can help them with."""

    def name(self) -> str:
        return "action_answer_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        pending = tracker.get_slot("pending_topic")
        reader = reader_of(tracker)
        if not pending:
            if reader == "caregiver":
                menu = load_guide().menu("caregiver")
                say(dispatcher, "caregiver_menu", channel, language, menu)
            else:
                say(dispatcher, "what_would_help", channel, language, main_menu())
            return []
        entry = load_guide().entry(str(pending))
        reply = answer(entry.id, reader, channel, language)
        send(dispatcher, reply)
        return answer_events(entry, reply, tracker)
