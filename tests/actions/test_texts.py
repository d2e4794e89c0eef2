"""Everything the actions send has been through the wording checker, fits a phone, and is
discreet: the actions are run over every topic, reader, button, channel and language, and each
text they produce must be one that tests/wording lints (tests/wording/action_texts.py,
replies.yml, the domain). Plus the rules the checker cannot see on one text alone."""

from __future__ import annotations

import ast
import asyncio
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.basics import (
    ActionGoodbye,
    ActionGreet,
    ActionOfferPerson,
    ActionOkAnytime,
    ActionOutOfScope,
    ActionShowMenu,
    ActionStopChat,
    ActionThank,
)
from bot.actions.fallback import ActionHandleFallback
from bot.actions.followups import (
    ActionAffirm,
    ActionDeny,
    ActionExplain,
    ActionRepeatLast,
    ActionUnsure,
    ActionWhatToDo,
)
from bot.actions.handoff import ActionTalkToPerson
from bot.actions.hotlines import ActionGiveHotlines
from bot.actions.ideas import ActionNextIdea
from bot.actions.places import ActionAskLocation, ActionFindPlaces
from bot.actions.safety import CRISIS_REPLY, ActionCrisis
from bot.actions.topics import ActionAnswerPending, ActionAnswerTopic
from resources.guide import load_guide
from resources.guide_answers import every_answer as every_guide_answer
from resources.present import spanish_titles
from resources.replies import all_reply_texts, load_replies, reply_numbers
from tests.actions.conftest import ROOT, make_tracker, user_event
from tests.wording.action_texts import action_texts, spanish_action_texts

GUIDE = load_guide()
METADATA = [
    {"channel": c, "language": lang, "safety_net": net}
    for c, lang, net in itertools.product(("sms", "web"), ("en", "es"), (None, "danger"))
]
WHO = [None, "self", "caregiver", "professional", "friend", "someone_else"]
# Words a lock screen must not show in the first words of a message (hotlines.yml keeps the
# same list for discreet labels).
SENSITIVE = re.compile(
    r"\b(trafficking|exploitation|exploited|suicide|sex|sexual|rape|abuse|runaway|missing|"
    r"crisis|pimp)\b",
    re.IGNORECASE,
)
SLANG_IN_QUOTES = re.compile(r'"(daddy|the track|track|quota|the life|the game|wifey)"', re.I)


def linted() -> dict[str, set[str]]:
    """Every text the wording tests check, with the audiences it is checked for."""
    out: dict[str, set[str]] = {}
    for _, text, audience in action_texts() + spanish_action_texts():
        out.setdefault(text, set()).add(audience)
    replies = load_replies()
    for reply_id, _, _, text in all_reply_texts():
        out.setdefault(text, set()).add(replies[reply_id].get("audience", "youth"))
    for spanish in spanish_titles().values():  # linted by tests/resources/test_titles.py
        out.setdefault(spanish, set()).add("youth")
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    for variants in (domain.get("responses") or {}).values():
        for variant in variants:
            out.setdefault(variant["text"], set()).add("youth")
            for button in variant.get("buttons", []):
                out.setdefault(button["title"], set()).add("youth")
    return out


LINTED = linted()


def run(action: Any, tracker: Any) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


def tracker(text: str = "x", intent: str = "", meta: dict[str, Any] | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    return make_tracker(text, intent, metadata=meta or {}, **kw)


def cue_messages() -> list[str]:
    cues = {p.cues[0] for e in GUIDE.entries.values() for p in e.parts if p.cues}
    return ["help", *sorted(cues)]


def every_message() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(what was run, metadata, message sent) over the whole matrix."""
    for meta in METADATA:
        basics = (
            ActionGreet(),
            ActionGoodbye(),
            ActionOutOfScope(),
            ActionStopChat(),
            ActionOfferPerson(),
            ActionOkAnytime(),
        )
        for action in basics:
            for m in run(action, tracker(meta=meta)):
                yield action.name(), meta, m
        for who in WHO:
            slots = {"who_is_asking": who}
            for m in run(ActionShowMenu(), tracker(meta=meta, slots=slots)):
                yield "menu", meta, m
            for intent in ("ask_hotlines", "ask_text_line"):
                for m in run(ActionGiveHotlines(), tracker("n", intent, meta, slots=slots)):
                    yield intent, meta, m
            for entry in GUIDE.entries.values():
                if entry.intent is None:
                    continue
                subtopics = [None] + [p.id for p in entry.parts]
                for message, subtopic in itertools.product(cue_messages(), subtopics):
                    t = tracker(message, entry.intent, meta, slots=slots)
                    if subtopic:
                        t.latest_message["entities"] = [{"entity": "subtopic", "value": subtopic}]
                    for m in run(ActionAnswerTopic(), t):
                        yield entry.id, meta, m
                if entry.ask_who:
                    pending = {"pending_topic": entry.id, "who_is_asking": who}
                    for m in run(ActionAnswerPending(), tracker(meta=meta, slots=pending)):
                        yield f"pending:{entry.id}", meta, m
        for m in run(ActionAnswerPending(), tracker(meta=meta)):
            yield "pending:none", meta, m
        for entry in (e for e in GUIDE.entries.values() if e.kind == "ideas"):
            for index in range(len(entry.parts) + 2):
                slots = {"idea_list": entry.id, "idea_index": index}
                for m in run(ActionNextIdea(), tracker("more", "ask_more", meta, slots=slots)):
                    yield f"idea:{entry.id}#{index}", meta, m
        for m in run(ActionNextIdea(), tracker("more", "ask_more", meta)):
            yield "idea:none", meta, m
        for intent in CRISIS_REPLY:
            for m in run(ActionCrisis(), tracker("help", intent, meta)):
                yield intent, meta, m
        for available in (False, True):
            person_meta = {**meta, "advocates_available": available}
            for m in run(ActionTalkToPerson(), tracker(meta=person_meta)):
                if m.get("text"):
                    yield "person", meta, m
        for misses in (1, 2):
            events = [user_event("nlu_fallback")] * misses
            for m in run(
                ActionHandleFallback(), tracker("zz", "nlu_fallback", meta, events=events)
            ):
                yield f"fallback#{misses}", meta, m
        yield from followup_messages(meta)
        for attempts, text in ((0, "hi"), (1, "zzz"), (1, "springfield")):
            slots = {"location_attempts": attempts}
            for m in run(ActionAskLocation(), tracker(text, "inform_location", meta, slots=slots)):
                yield "ask_location", meta, m
        for slots in (
            {"location": "Las Vegas, NV", "location_lat": 36.17, "location_lon": -115.14},
            {
                "location": "Reno, NV",
                "location_lat": 39.53,
                "location_lon": -119.81,
                "age": "im 15",
            },
            {"location": "unknown"},
        ):
            for m in run(ActionFindPlaces(), tracker(meta=meta, slots=slots)):
                yield "places", meta, m


# What a last answer can be (context.remember), for the follow-up actions.
LAST_ANSWERS = [
    None,
    "reply:hotlines_list",
    "reply:hotlines_caregiver",
    "reply:crisis_suicide",
    "reply:greet",
    "places:shelter",
    "places:national",
    *sorted({f"guide:{a.ref}" for _, _, a in every_guide_answer()}),
]
PLACES = {"place_label": "Reno, NV"}
QUESTIONS = [None, "offer_person", "ask_who", "idea", "menu"]
FOLLOWUP_TEXTS = {
    "ask_what_to_do": ["what do i do", "what do i do in elko"],
    "repeat_last": ["send that again", "the number again"],
    "ask_meaning": ["what does that mean"],
}


def followup_messages(meta: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The follow-ups (bot/actions/followups.py) after every kind of last answer, for every
    reader, and "yes" / "no" / "idk" after every kind of question."""
    for m in run(ActionThank(), tracker("thanks", "thank", meta)):
        yield "thank", meta, m
    actions = {
        "ask_what_to_do": ActionWhatToDo(),
        "repeat_last": ActionRepeatLast(),
        "ask_meaning": ActionExplain(),
    }
    for who, last in itertools.product(WHO, LAST_ANSWERS):
        # The numbers that answer really gave (context.remember), never an invented set.
        given = reply_numbers(last[len("reply:") :]) if last and last.startswith("reply:") else ()
        numbers = ",".join(given) or None
        slots = {"who_is_asking": who, "last_answer": last, "last_numbers": numbers, **PLACES}
        for intent, action in actions.items():
            for text in FOLLOWUP_TEXTS[intent]:
                for m in run(action, tracker(text, intent, meta, slots=slots)):
                    yield f"{intent}:{last}", meta, m
    for question, who in itertools.product(QUESTIONS, WHO):
        slots = {
            "last_question": question,
            "who_is_asking": who,
            "pending_topic": "exploitation_meaning" if question == "ask_who" else None,
            "idea_list": "ideas_take" if question == "idea" else None,
            "idea_index": 0,
        }
        for intent, action in (
            ("affirm", ActionAffirm()),
            ("deny", ActionDeny()),
            ("unsure", ActionUnsure()),
        ):
            for m in run(action, tracker("ok", intent, meta, slots=slots)):
                yield f"{intent}:{question}", meta, m
    for text in ("how do i report this in elko", "who do i call in las vegas", "report?"):
        for who in WHO:
            t = tracker(text, "how_to_report", meta, slots={"who_is_asking": who})
            for m in run(ActionAnswerTopic(), t):
                yield "how_to_report:county", meta, m
    for text, slots in (
        ("i ran away and have no money and my phone is dying", {}),
        ("i ran away and have no money and my phone is dying", PLACES),
        ("stuck in reno no money", {}),
    ):
        t = tracker(text, "running_away", meta, slots={**slots, "age": "im 15"})
        for m in run(ActionAnswerTopic(), t):
            yield "stranded", meta, m


MESSAGES = list(every_message())


def test_the_matrix_is_big_enough_to_mean_something():
    assert len(MESSAGES) > 2000
    assert len({m["text"] for _, _, m in MESSAGES}) > 100


def test_every_text_sent_is_a_text_the_checker_lints():
    missing = {(what, m["text"][:70]) for what, _, m in MESSAGES if m.get("text") not in LINTED}
    assert not missing, sorted(missing)[:10]


def test_every_button_title_is_linted_and_never_a_raw_payload():
    for what, _, m in MESSAGES:
        for button in m.get("buttons") or []:
            assert button["title"] in LINTED, (what, button)
            assert not button["title"].startswith("/"), (what, button)


# Texts written in Spanish: replies with an `es` variant, and guide answers composed only of
# Spanish pieces (the rest falls back to English).
SPANISH_TEXTS = (
    {text for _, _, lang, text in all_reply_texts() if lang == "es"}
    | {a.text for _, _, a in every_guide_answer() if a.language == "es"}
    | {text for _, text, _ in spanish_action_texts()}
)


def test_choices_are_in_the_language_of_their_text():
    """Spanish texts get Spanish choices; a text that has no Spanish version yet (it falls back
    to English) keeps English choices, so one message never mixes the two."""
    spanish, seen_spanish = set(spanish_titles().values()), 0
    for what, _, m in MESSAGES:
        titles = [b["title"] for b in m.get("buttons") or []]
        if not titles:
            continue
        if m["text"] in SPANISH_TEXTS:
            seen_spanish += 1
            assert all(t in spanish for t in titles), (what, m["text"][:50], titles)
        else:
            assert not any(t in spanish for t in titles), (what, m["text"][:50], titles)
    assert seen_spanish > 50


def test_every_sms_with_its_numbered_choices_fits_one_message():
    for what, meta, m in MESSAGES:
        if meta["channel"] != "sms":
            continue
        body = m["text"] + "".join(
            f"\n{i}) {b['title']}" for i, b in enumerate(m.get("buttons") or [], 1)
        )
        assert len(body) <= 320, (what, len(body), body)


def test_first_words_are_discreet():
    """A lock screen shows the first words; they never name what the chat is about."""
    for what, _, m in MESSAGES:
        assert not SENSITIVE.search(m["text"][:40]), (what, m["text"][:60])


def test_slang_is_explained_to_caregivers_only():
    for text, audiences in LINTED.items():
        if "youth" in audiences:
            assert not SLANG_IN_QUOTES.search(text), text


NUMBER = re.compile(r"\b911\b|\b988\b|\d{3}-\d{3}-\d{4}|\b1-8\d\d-")


def test_the_domain_holds_no_phone_number():
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in (domain.get("responses") or {}).items():
        for variant in variants:
            assert not NUMBER.search(variant["text"]), name


def string_literals(path: Path) -> list[str]:
    """The strings in a module's code, without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", sorted((ROOT / "bot" / "actions").glob("*.py")), ids=str)
def test_no_number_or_sentence_in_action_code(path):
    """Content is data: the actions hold ids and payload names, never a text or a number."""
    for literal in string_literals(path):
        assert not NUMBER.search(literal), literal
        assert len(literal.split()) < 5, literal
