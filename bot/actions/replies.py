"""Sending an answer named by a reference, and remembering it: the one place the actions turn
"guide:warning_signs.money", "reply:hotlines_list" or "places:shelter" into messages.

Every answer goes out with the slots that let a follow-up be answered in context (what it was,
the numbers it gave, the question it asked: context.remember), and with the pieces that depend
on the person rather than on the text: the county's child-abuse reporting line after a
reporting answer, the nearest place open now for someone stranded.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.asked import ADULTS
from bot.actions.context import (
    channel_of,
    language_of,
    latest_entity,
    latest_text,
    reader_of,
    remember,
    say,
    send,
    split_ref,
    user_texts,
)
from bot.actions.crisis_again import crisis_line_again
from bot.actions.where import (
    county_events,
    county_in,
    county_lines,
    known_place,
    national_answer,
    need_in,
    place_answer,
    place_in_message,
)
from resources.guide import load_guide
from resources.guide_answers import Answer, again, answer
from resources.reporting_policy import load_policy
from resources.topics_in_words import about, topics_in
from resources.who import role_in

# Fear about papers or deportation: its answer follows whatever the message asked.
IMMIGRATION = "immigration_worries"

# An entry written for young people (or for a friend of one) says who is writing, unless the
# person already said. A caregiver topic does not: young people ask about warning signs too.
ASKER_OF_AUDIENCE = {"youth": "self", "friend": "friend"}
# Answers after which the county's reporting line follows (it depends on where they are).
WITH_REPORTING_LINES = ("how_to_report", "adult_next_steps")
EMERGENCY = "emergency_911"
# ...and after these, when an adult names the county in the same message.
WITH_LINES_WHEN_PLACED = ("warning_signs", "not_okay_situations", "online_tips", "risk_factors")
# Answers after which a conversation about sexual pictures also gets the CyberTipline and
# Take It Down (resources/data/message_topics.yml): for reporting and next steps the whole
# conversation counts ("can they be taken down" after "she sent pics"), for the others only
# the message itself.
WITH_PICTURES_HELP = ("how_to_report", "adult_next_steps")
PICTURES_IN_MESSAGE = (
    "online_tips",
    "not_okay_situations",
    "friend_help",
    "ideas_phone",
    "warning_signs",
)


def _pictures_help(
    dispatcher: CollectingDispatcher, tracker: Tracker, entry_id: str
) -> tuple[str, ...]:
    texts = user_texts(tracker) if entry_id in WITH_PICTURES_HELP else [latest_text(tracker)]
    if entry_id not in WITH_PICTURES_HELP + PICTURES_IN_MESSAGE or not about("pictures", texts):
        return ()
    return say(dispatcher, "pictures_help", channel_of(tracker), language_of(tracker))


def guide_events(reply: Answer, tracker: Tracker) -> list[EventType]:
    """Slots after a guide answer: who is writing, the idea list, the follow-up context."""
    entry = load_guide().entry(split_ref(reply.ref)[0])
    events: list[EventType] = [SlotSet("pending_topic", None)]
    said = role_in(latest_text(tracker))
    if entry.audience in ASKER_OF_AUDIENCE and not tracker.get_slot("who_is_asking") and not said:
        events.append(SlotSet("who_is_asking", ASKER_OF_AUDIENCE[entry.audience]))
    events.append(SlotSet("idea_list", reply.idea_list))
    events.append(SlotSet("idea_index", reply.idea_index))
    question = "idea" if reply.idea_list else None
    return events + remember(f"guide:{reply.ref}", reply.numbers, question, tracker)


def send_guide(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reply: Answer,
) -> list[EventType]:
    """A guide answer and what follows it for this person."""
    send(dispatcher, reply)
    events = guide_events(reply, tracker) + county_events(tracker)
    entry_id = split_ref(reply.ref)[0]
    numbers = reply.numbers
    if entry_id in WITH_REPORTING_LINES or _adult_naming_a_county(tracker, entry_id):
        extra = county_lines(tracker, language_of(tracker))
        if extra is not None:
            dispatcher.utter_message(text=extra.text)
            # The county's line right after 911: "the number again" fits one SMS, and the
            # local line is the one an adult asks for again.
            first = tuple(n for n in numbers if n == EMERGENCY)
            numbers = first + extra.numbers + tuple(n for n in numbers if n != EMERGENCY)
    numbers += _pictures_help(dispatcher, tracker, entry_id)
    if entry_id == "confidentiality":
        # What our own team must pass on is the helpline's policy (reporting_policy.yml).
        numbers += say(
            dispatcher, load_policy().reply_id, channel_of(tracker), language_of(tracker)
        )
    # "si voy a la policia me deportan? no tengo papeles": the answer asked for (being in
    # trouble, reporting, next steps), then the protections that exist whatever the status
    # (guide.yml immigration_worries, seed 001 L4544-4577).
    answer_fears(dispatcher, tracker, ("immigration",), skip=entry_id)
    if numbers != reply.numbers:
        events.append(SlotSet("last_numbers", ",".join(dict.fromkeys(numbers)) or None))
    if reply.ref == "running_away.stranded":
        events += _nearest_open(dispatcher, tracker)
    else:
        events += places_too(dispatcher, tracker)
    crisis_line_again(dispatcher, tracker, numbers)
    return events


# The fears a message can speak of besides its question, and the answer each gets.
FEAR_ANSWERS = {"arrest_fear": "in_trouble", "immigration": IMMIGRATION}


def answer_fears(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    fears: tuple[str, ...],
    skip: str | None = None,
) -> None:
    """The answer to each of `fears` this message speaks of (not `skip`, the answer just sent),
    as text only, so the choices of the answer before stay the numbered ones. Jail is answered
    for a young person only: an adult's "will I get in trouble" is about reporting."""
    topics = topics_in(latest_text(tracker))
    reader = reader_of(tracker)
    for topic in fears:
        entry_id = FEAR_ANSWERS[topic]
        if topic not in topics or entry_id == skip:
            continue
        if topic == "arrest_fear" and reader in ADULTS:
            continue
        fear = answer(entry_id, reader, channel_of(tracker), language_of(tracker))
        dispatcher.utter_message(text=fear.text)


def _adult_naming_a_county(tracker: Tracker, entry_id: str) -> bool:
    """A parent or a professional who tells what they see and where ("ER nurse in Reno, 15 yo
    patient, an older man who won't leave her side"): that county's reporting line follows the
    answer about the signs, so the next step is in hand."""
    if entry_id not in WITH_LINES_WHEN_PLACED or reader_of(tracker) not in ADULTS:
        return False
    return county_in(latest_text(tracker))[0] is not None


def places_too(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A message that asks about something else but also says the person has nowhere to sleep
    (or no food), or that a young person ran away or left home, in a named place gets the
    places there too: both needs in one reply."""
    text = latest_text(tracker)
    need = need_in(text)
    if need is None and reader_of(tracker) not in ADULTS and "left_home" in topics_in(text):
        need = "shelter"
    place = place_in_message(tracker) if need else None
    if need is None or place is None:
        return []
    dispatcher.utter_message(text=place_answer(tracker, place, need=need))
    return [SlotSet("place_label", place.label)]


def _nearest_open(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """After the words for someone stranded: the nearest place open now, or the question that
    finds it (the place search, for places open now)."""
    place = known_place(tracker)
    if place is None:
        # The next message ("reno", "89119") starts the place search, which then looks for
        # places open now (bot/actions/places.py need_of).
        say(dispatcher, "ask_location", channel_of(tracker), language_of(tracker))
        return [SlotSet("place_need", "open_now"), SlotSet("last_question", "location")]
    text = place_answer(tracker, place, need="open_now")
    dispatcher.utter_message(text=text)
    return [SlotSet("place_label", place.label)]


def send_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    ref: str,
    message: str | None = None,
    subtopic: str | None = None,
) -> list[EventType]:
    """Send the answer `ref` names ("guide:entry[.part]" or "reply:id") for this person."""
    channel, language = channel_of(tracker), language_of(tracker)
    kind, _, name = ref.partition(":")
    if kind == "reply":
        numbers = say(dispatcher, name, channel, language)
        crisis_line_again(dispatcher, tracker, numbers)
        return remember(ref, numbers, tracker=tracker)
    entry_id, _, part = name.partition(".")
    reply = answer(
        entry_id,
        reader_of(tracker),
        channel,
        language,
        message=latest_text(tracker) if message is None else message,
        subtopic=part or subtopic or latest_entity(tracker, "subtopic"),
    )
    return send_guide(dispatcher, tracker, reply)


def send_reference(dispatcher: CollectingDispatcher, tracker: Tracker, ref: str) -> list[EventType]:
    """The answer `ref` names, exactly again ("send that again")."""
    channel, language = channel_of(tracker), language_of(tracker)
    kind, _, name = ref.partition(":")
    if kind == "guide":
        return send_guide(dispatcher, tracker, again(name, reader_of(tracker), channel, language))
    if kind == "places":
        place = known_place(tracker)
        if place is not None and name != "national":
            dispatcher.utter_message(text=place_answer(tracker, place, need=name or "shelter"))
        else:
            dispatcher.utter_message(text=national_answer(tracker))
        return remember(ref)
    if kind == "reply":
        return send_answer(dispatcher, tracker, ref)
    return send_answer(dispatcher, tracker, "reply:hotlines_list")


def offer_person_after_crisis(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """After the emergency options: the places there for a young person who left home and
    said where ("me fui de la casa xq mi padrastro me pega, ando en el centro de las vegas"),
    then the offer of a person. The answer before the offer stays the one "send that again"
    repeats."""
    events = places_too(dispatcher, tracker)
    # "i had to do stuff w guys for money to eat, am i gonna go to jail", "no kiero llamar a la
    # policia xq no tenemos papeles": the fear that stops a person from asking for help is
    # answered before the offer. Jail is a young person's fear for themself; papers, anyone's.
    answer_fears(dispatcher, tracker, ("arrest_fear", "immigration"))
    menu = load_guide().menu("offer_person")
    say(dispatcher, "offer_person", channel_of(tracker), language_of(tracker), menu)
    return [*events, SlotSet("last_question", "offer_person")]
