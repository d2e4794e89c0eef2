"""Graceful repair: one clarifying question with choices; on a second miss in a row, never
"I didn't understand" again, but the 24/7 lines and the offer of a person (accepting it raises
a handoff whose reason is "misunderstood", bot/actions/handoff.py)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.asked import ADULTS, asked_in_words
from bot.actions.basics import ActionGreet
from bot.actions.context import (
    channel_of,
    language_of,
    latest_text,
    previous_user_metadata,
    reader_of,
    remember,
    safety_net_answered,
    say,
    send,
    split_ref,
)
from bot.actions.crisis_again import crisis_line_again
from bot.actions.ideas import ActionNextIdea
from bot.actions.local_line import local_line_after_assault, send_local_line
from bot.actions.replies import (
    IMMIGRATION,
    offer_person_after_crisis,
    send_answer,
    send_reference,
)
from bot.actions.topics import ActionAnswerPending
from bot.actions.where import need_in, places_for
from resources.guide import load_guide
from resources.guide_answers import explain, has_explanation
from resources.present import main_menu
from resources.topics_in_words import topics_in
from resources.who import role_in

# Messages we could not act on: NLU was unsure, or the message was keyboard mash.
MISS_INTENTS = frozenset({"nlu_fallback", "nonsense"})


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in MISS_INTENTS:
            break
        misses += 1
    return misses


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, language = channel_of(tracker), language_of(tracker)
        if safety_net_answered(tracker):
            # The gateway understood enough to send the emergency options: "sorry, I didn't get
            # that" would undo it. The offer of a person follows instead, as after any crisis.
            return offer_person_after_crisis(dispatcher, tracker)
        if role_in(latest_text(tracker)) is not None:
            # "Im her mom", "case worker here": not a miss, a person saying who they are.
            return await ActionAnswerPending().run(dispatcher, tracker, domain)
        words = topics_in(latest_text(tracker))
        if "greeting" in words:
            # "oli", "wenas": a hello in a spelling the classifier does not know.
            return await ActionGreet().run(dispatcher, tracker, domain)
        if "panic" in words and reader_of(tracker) not in ADULTS:
            # "me esta dando un ataque de panico": one idea for getting through the moment.
            return send_answer(dispatcher, tracker, "guide:safety_ideas.coping")
        if "immigration" in words:
            # "pero de verdad no me deportan si ablo?", "me da miedo llamar a la policia x q no
            # tengo papeles": the protections that exist whatever the status, and a person.
            return send_answer(dispatcher, tracker, f"guide:{IMMIGRATION}")
        if "police" in words and not _just_after_crisis(tracker):
            # "i dont want to call the cops on him tho his homies would come after me": the
            # lines that are not the police; "should i call the cops on him" from a parent:
            # how to report (911 for danger now, then the county's line).
            adult = reader_of(tracker) in ADULTS
            return send_answer(
                dispatcher, tracker, "guide:how_to_report" if adult else "reply:hotlines_list"
            )
        if "wants_out" in words and reader_of(tracker) not in ADULTS:
            # "been doing this since i was 16 and i want out. im in reno": the choices open
            # now, not the repair question (only on a miss: a message the classifier read
            # as safety ideas keeps that answer).
            return send_answer(dispatcher, tracker, "guide:youth_next_steps")
        asked = asked_in_words(tracker)
        if asked is not None:
            # "will the family know i'm the one who reported?", "a quien le aviso?": the words
            # say what is asked even when the classifier could not (bot/actions/asked.py).
            return send_answer(dispatcher, tracker, asked)
        local = local_line_after_assault(tracker)
        if local is not None:
            # "estoy en las vegas, ay alguien aqui?" after the sexual-assault crisis reply: the
            # 24/7 line of that area.
            return send_local_line(dispatcher, tracker, local)
        if "pictures" in words:
            # "he asked her for pictures", "can the pics be taken down": what to do and where
            # to report them (the CyberTipline and Take It Down follow the reporting answer).
            return send_answer(dispatcher, tracker, "guide:how_to_report")
        need = need_in(latest_text(tracker))
        if need is not None:
            # "wer can i sleap 2nite", "just aged out, im at the bus station": a need stated in
            # words the classifier missed. The places for it, or the question that finds them.
            return places_for(dispatcher, tracker, need)
        if _just_after_crisis(tracker) and reader_of(tracker) not in ADULTS:
            # "ok hes gone now i think", "he showed up at my school today" right after the
            # emergency options: not "sorry, I didn't get that", but the choices open now.
            return send_answer(dispatcher, tracker, "guide:youth_next_steps")
        if consecutive_misses(tracker) <= 1:
            continued = await _continue_topic(dispatcher, tracker, domain)
            if continued is not None:
                return continued
        last = str(tracker.get_slot("last_answer") or "")
        if (
            consecutive_misses(tracker) <= 1
            and last.startswith("places:")
            and last != "places:national"
        ):
            # Right after a list of places, a message we cannot read ("what if they're
            # closed?", "do they take gay kids there?") is almost always about those places:
            # the places again, open now first, with their hours and phones to ask.
            return send_reference(dispatcher, tracker, "places:open_now")
        if consecutive_misses(tracker) <= 1:
            say(dispatcher, "fallback_first", channel, language, main_menu())
            crisis_line_again(dispatcher, tracker, ())
            return [SlotSet("last_question", "menu")]
        menu = load_guide().menu("after_misses")
        numbers = say(dispatcher, "fallback_offer_person", channel, language, menu)
        return remember("reply:fallback_offer_person", numbers, question="offer_person")


# A follow-up continues the last answer's topic when the classifier's own guesses name that
# topic: among its first few, with at least this confidence.
CONTINUE_RANKS = 3
CONTINUE_CONFIDENCE = 0.15


def continues_last_topic(tracker: Tracker) -> bool:
    """True when a message we could not place is, by the classifier's own second guesses, about
    the topic just answered: "and if she won't listen to me at all?" after the tips on talking
    with a teen ranks talk_with_teen among its guesses."""
    last = str(tracker.get_slot("last_answer") or "")
    if not last.startswith("guide:"):
        return False
    guide = load_guide()
    entry_id = split_ref(last)[0]
    # An idea list (ideas_take) belongs to the topic whose part gives it (safety_ideas).
    parents = (e.id for e in guide.entries.values() if any(p.ideas == entry_id for p in e.parts))
    related = {entry_id, *parents}
    ranking = tracker.latest_message.get("intent_ranking") or []
    for item in ranking[:CONTINUE_RANKS]:
        entry = guide.for_intent(str(item.get("name") or ""))
        confident = float(item.get("confidence") or 0) >= CONTINUE_CONFIDENCE
        if entry is not None and entry.id in related and confident:
            return True
    return False


async def _continue_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """The next idea of the list being given, or the last answer in plainer words (or again),
    for a follow-up that stays on the topic; None when it does not."""
    if not continues_last_topic(tracker):
        return None
    last = str(tracker.get_slot("last_answer") or "")
    if tracker.get_slot("idea_list"):
        return await ActionNextIdea().run(dispatcher, tracker, domain)
    ref = last.removeprefix("guide:")
    if has_explanation(ref):
        reply = explain(ref, reader_of(tracker), channel_of(tracker), language_of(tracker))
        send(dispatcher, reply)
        return remember(last, reply.numbers)
    return send_reference(dispatcher, tracker, last)


def _just_after_crisis(tracker: Tracker) -> bool:
    """True when the message before this one got the emergency options (from the gateway's
    safety net or from the assistant)."""
    if previous_user_metadata(tracker).get("safety_net"):
        return True
    last = str(tracker.get_slot("last_answer") or "")
    return last.startswith("reply:crisis_")
