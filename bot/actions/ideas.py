"""One idea at a time: "Another idea" gives the next one of the list that was started (ideas for
looking after yourself, phone safety, coping, tips for caregivers); after one part of a topic
("the signs with money"), "what else" gives the next part. Never the whole list on the
phone (SEED_MAP §5.2: a written plan on a youth's device can put them at risk)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import channel_of, language_of, reader_of, remember, say, send
from bot.actions.replies import send_answer
from resources.guide import load_guide
from resources.guide_answers import next_idea
from resources.present import main_menu

GENERAL = "general"
NEXT_STEPS = "adult_next_steps"
# Entries whose parts are facets of one question (the signs: in relationships, with money...),
# read in order; other entries' parts are different situations.
FACETED = frozenset({"warning_signs", "risk_factors"})


def next_part(last_answer: str) -> str | None:
    """What "what else?" means after one part of a guide entry ("guide:warning_signs.money"):
    the entry's general part after a situation-specific one (what a friend can do in any
    case), else the entry's next part in order; None after the last one (the menu follows)."""
    entry_id, _, part_id = last_answer.removeprefix("guide:").partition(".")
    if not last_answer.startswith("guide:") or not part_id or "#" in part_id:
        return None
    entry = load_guide().entries.get(entry_id)
    if entry is None or entry.kind != "parts":
        return None
    ids = [p.id for p in entry.parts]
    if part_id not in ids:
        return None
    if GENERAL in ids:
        return None if part_id == GENERAL else f"guide:{entry_id}.{GENERAL}"
    if entry_id not in FACETED:
        return None  # "what else can i do" while she is missing is not "when she comes back"
    index = ids.index(part_id) + 1
    return f"guide:{entry_id}.{ids[index]}" if index < len(ids) else None


class ActionNextIdea(Action):
    def name(self) -> str:
        return "action_next_idea"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        list_id = tracker.get_slot("idea_list")
        following = next_part(str(tracker.get_slot("last_answer") or ""))
        if not list_id and following is not None:
            # "what else" after the signs in relationships: the signs with money, and so on.
            return send_answer(dispatcher, tracker, following)
        last = str(tracker.get_slot("last_answer") or "")
        adult = reader_of(tracker) in ("caregiver", "professional")
        if not list_id and adult and last.startswith("guide:") and NEXT_STEPS not in last:
            # "ke mas puedo aser" after the answer for a missing child, "what else" after the
            # last of the signs: what an adult can do next.
            return send_answer(dispatcher, tracker, f"guide:{NEXT_STEPS}")
        if not list_id and adult:
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
