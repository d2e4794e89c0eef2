"""The dialogue suite's checker: which answer each reply message is, and whether a turn's replies
meet what the dialogue expects (tests/dialogues/*.yml; the format and the vocabulary of answer
ids are in tests/dialogues/README.md).

A reply is recognised by its text: every text the assistant can send is rendered here from the
same data and functions the assistant uses (guide answers for every reader, channel and
language; every reply; place answers, "the numbers again" and reporting lines by their words),
spelled as the channel spells it, so "warning_signs.money for a caregiver, in Spanish" is read
off the message itself, never off the assistant's internals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from resources import load_catalog
from resources.guide import load_guide
from resources.guide_answers import every_answer
from resources.present import formats
from resources.replies import all_reply_texts, load_replies
from resources.reporting import every_reporting_text
from resources.spelling import for_sms

DIALOGUE_DIR = Path(__file__).parent
GROUPS = {
    "crisis": {"crisis_danger", "crisis_suicide", "crisis_self_harm", "crisis_sexual_assault"},
    "hotlines": {
        "hotlines_list",
        "hotlines_caregiver",
        "text_lines",
        "numbers_again",
        "local_line_signs_of_hope",
    },
    "person": {"handoff_requested", "handoff_not_available"},
}
EXPECT_KEYS = {
    "answer",
    "first",
    "not",
    "numbers",
    "no_numbers",
    "reader",
    "places_in",
    "not_places",
    "lang",
    "silent",
    "contains",
}
_CHOICE_LINE = re.compile(r"^\d{1,2}\) .*$")
JARGON = re.compile(r"\b(CSEC|DMST|AWOL|NRIT|MDT|CISP|placement disruption)\b")
NEVER = re.compile(r"safety plan|you are safe|you're safe|you are a victim|plan de seguridad", re.I)
PAYLOAD = re.compile(r"(^|\s)/[a-z_]{3,}")


@dataclass(frozen=True)
class Known:
    """What a text is: an answer id (entry, entry.part, list, reply id or a dynamic kind), the
    reader it was written for (guide answers), and its language."""

    ids: frozenset[str]
    language: str
    readers: frozenset[tuple[str, str]] = frozenset()  # (entry or entry.part, requested reader)


@dataclass
class Message:
    text: str
    known: Known | None


@dataclass
class TurnResult:
    say: str
    messages: list[Message]
    problems: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    """Texts compared without the numbered choices, spacing or the SMS spelling of accents."""
    body = [ln for ln in text.strip().splitlines() if not _CHOICE_LINE.match(ln.strip())]
    joined = " ".join(" ".join(body).split())
    folded = unicodedata.normalize("NFKD", for_sms(joined))
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


def _ids_of_guide(text_id: str) -> tuple[str, set[str]]:
    """'warning_signs[caregiver/sms/en].money' -> ('warning_signs.money', {ids it matches})."""
    match = re.match(r"^(\w+)\[[^\]]+\](.*)$", text_id)
    assert match, text_id
    entry, rest = match.group(1), match.group(2)
    ids = {entry}
    ref = entry
    if rest.startswith(".explain:"):
        ref = rest[len(".explain:") :]
        ids |= {ref, ref.split(".")[0]}
    elif rest.startswith("."):
        ref = f"{entry}{rest}"
        ids.add(ref)
    return ref, ids


# Replies written for one kind of reader (the others are for anyone).
AUDIENCE_READERS = {"caregiver": ("caregiver", "professional")}
REPLY_READERS = {"hotlines_list": ("youth", "friend"), "what_would_help": ("youth", "friend")}


def _domain_responses() -> dict[str, list[dict[str, Any]]]:
    domain = yaml.safe_load((DIALOGUE_DIR.parents[1] / "bot" / "domain.yml").read_text("utf-8"))
    return dict(domain.get("responses") or {})


@lru_cache(maxsize=1)
def text_index() -> dict[str, Known]:
    """Every fixed text the assistant can send -> what it is."""
    ids: dict[str, set[str]] = {}
    languages: dict[str, str] = {}
    readers: dict[str, set[tuple[str, str]]] = {}

    def add(text: str, found: Iterable[str], language: str, reader: tuple[str, str] | None) -> None:
        key = _key(text)
        ids.setdefault(key, set()).update(found)
        languages.setdefault(key, language)
        if reader:
            readers.setdefault(key, set()).add(reader)

    guide = load_guide()
    for text_id, reader, answer in every_answer():
        ref, found = _ids_of_guide(text_id)
        add(answer.text, found, answer.language, (ref, reader))
        add(answer.text, found, answer.language, (ref.split(".")[0], reader))
        if answer.idea_list:  # an idea of a list shown inside another entry
            found_list = {answer.idea_list}
            add(answer.text, found_list, answer.language, (answer.idea_list, reader))
    audiences = {k: str(v.get("audience", "")) for k, v in load_replies().items()}
    for reply_id, _channel, language, text in all_reply_texts():
        for reader in REPLY_READERS.get(reply_id, ()) or AUDIENCE_READERS.get(
            audiences.get(reply_id, ""), ()
        ):
            add(text, {reply_id}, language, (reply_id, reader))
        # crisis_suicide_other (told of someone else) is still the suicide crisis answer.
        same = {reply_id, reply_id.removesuffix("_other")}
        add(text, same, language, None)
    for _case, language, text in every_reporting_text():
        add(text, {"reporting_lines", "how_to_report"}, language, None)
    for name, variants in _domain_responses().items():  # utter_thank -> thank
        for variant in variants:
            add(str(variant["text"]), {name.removeprefix("utter_")}, "en", None)
    del guide
    return {
        k: Known(frozenset(v), languages[k], frozenset(readers.get(k, ()))) for k, v in ids.items()
    }


def _template_pattern(template: str) -> re.Pattern[str]:
    """A composed text's template as a pattern: its fixed words, anything for its fields."""
    parts = re.split(r"\{[^}]*\}", template)
    return re.compile("^" + ".+?".join(re.escape(_key(p)) if p.strip() else "" for p in parts))


@lru_cache(maxsize=1)
def _dynamic() -> list[tuple[re.Pattern[str], str, str]]:
    """Texts composed per person: recognised by their templates (answer_formats.yml)."""
    out = []
    words = formats()
    for language in ("en", "es"):
        places = words["places"].get(language) or words["places"]["en"]
        national = words["national"].get(language) or words["national"]["en"]
        out.append((_template_pattern(places["intro"]), "places", language))
        for key in ("intro_unknown", "intro_outside"):
            out.append((_template_pattern(national[key]), "places_national", language))
        for value in (words.get("reporting_lines") or {}).get(language, {}).values():
            if isinstance(value, str) and len(value) > 20:
                # The county's line is the end of a reporting answer (vocabulary: how_to_report
                # gives "the county's child abuse reporting line").
                out.append((_template_pattern(value), "reporting_lines", language))
        again = (words.get("numbers_again") or {}).get(language)
        if again:
            out.append((_template_pattern(again["intro"]), "numbers_again", language))
    return out


def classify(text: str) -> Known | None:
    key = _key(text)
    found = text_index().get(key)
    if found is not None:
        return found
    for pattern, kind, language in _dynamic():
        if pattern.search(key):
            ids = {kind, "how_to_report"} if kind == "reporting_lines" else {kind}
            return Known(frozenset(ids), language)
    return None


def _expand(ids: Any) -> set[str]:
    wanted = {str(ids)} if isinstance(ids, str) else {str(i) for i in ids}
    for group, members in GROUPS.items():
        if group in wanted:
            wanted |= members
    return wanted


def _matches(message: Message, wanted: set[str]) -> bool:
    return message.known is not None and bool(message.known.ids & wanted)


@lru_cache(maxsize=1)
def _numbers() -> dict[str, list[str]]:
    """Hotline id -> the forms its numbers take in a text (digits, vanity, short code, web
    address)."""
    out: dict[str, list[str]] = {}
    for hotline in load_catalog().hotlines:
        forms = []
        for channel in hotline.channels:
            # A web address is how some help is reached (Take It Down): it counts too.
            if channel.kind in ("call", "text", "tty", "web") and channel.present:
                forms += [channel.value, channel.shown]
        out[hotline.id] = [f for f in dict.fromkeys(forms) if f]
    return out


def _has_number(text: str, hotline_id: str) -> bool:
    digits = re.sub(r"\D", "", text)
    for form in _numbers().get(hotline_id, []):
        if form in text:
            return True
        form_digits = re.sub(r"\D", "", form)
        if len(form_digits) >= 7 and form_digits in digits:
            return True
    return False


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, list[str]]]:
    """Place id -> (region, the names it is shown by)."""
    return {p.id: (p.region, [p.short_name, p.name]) for p in load_catalog().places}


def _place_shown(text: str, place_id: str) -> bool:
    _region, names = _places()[place_id]
    return any(re.search(rf"\d\) {re.escape(n)}\b", text) for n in names if n)


def check_turn(expect: dict[str, Any], messages: list[Message], language: str) -> list[str]:
    """What is wrong with one turn's replies (empty: it passed)."""
    problems: list[str] = []
    unknown_keys = set(expect) - EXPECT_KEYS
    if unknown_keys:
        problems.append(f"unknown expect keys {sorted(unknown_keys)}")
    if expect.get("silent"):
        if messages:
            problems.append(f"expected silence, got {len(messages)} message(s)")
        return problems
    if not messages:
        return ["no reply at all"]
    texts = "\n".join(m.text for m in messages)
    for message in messages:
        problems += always(message.text)
        if message.known is None:
            problems.append(f"unrecognised reply: {message.text[:90]!r}")
    if "answer" in expect and not any(_matches(m, _expand(expect["answer"])) for m in messages):
        problems.append(f"expected one of {expect['answer']}, got {describe(messages)}")
    if "first" in expect and not _matches(messages[0], _expand(expect["first"])):
        problems.append(f"first message should be {expect['first']}, got {describe(messages[:1])}")
    for forbidden in expect.get("not") or []:
        if any(_matches(m, _expand(forbidden)) for m in messages):
            problems.append(f"{forbidden} should not be in the reply")
    for hotline in expect.get("numbers") or []:
        if not _has_number(texts, hotline):
            problems.append(f"the number of {hotline} is missing")
    for hotline in expect.get("no_numbers") or []:
        if _has_number(texts, hotline):
            problems.append(f"the number of {hotline} should not be given")
    if "reader" in expect:
        problems += _check_reader(expect["reader"], messages)
    if "places_in" in expect:
        region = expect["places_in"]
        shown = [pid for pid in _places() if _place_shown(texts, pid)]
        if not any(_places()[pid][0] == region for pid in shown):
            problems.append(f"no place in {region} was offered")
    for place in expect.get("not_places") or []:
        if _place_shown(texts, place):
            problems.append(f"{place} should not be offered")
    wanted_language = expect.get("lang", language)
    for message in messages:
        if message.known is not None and message.known.language != wanted_language:
            ids = sorted(message.known.ids)[:2]
            problems.append(f"reply {ids} is in {message.known.language}, not {wanted_language}")
    for literal in expect.get("contains") or []:
        if literal.lower() not in texts.lower():
            problems.append(f"missing {literal!r}")
    return problems


def _check_reader(reader: str, messages: list[Message]) -> list[str]:
    """A message written for a kind of reader must be the one for this reader (messages for
    anyone, like places or crisis answers, say nothing about it)."""
    guide_messages = [m for m in messages if m.known is not None and m.known.readers]
    if not guide_messages:
        return []
    for message in guide_messages:
        assert message.known is not None
        if any(r == reader for _ref, r in message.known.readers):
            return []
    return [f"the guide answer is not the one written for a {reader}"]


def always(text: str) -> list[str]:
    """What every reply must be, whatever was asked."""
    problems = []
    if len(text) > 320:
        problems.append(f"longer than one SMS ({len(text)} characters)")
    if PAYLOAD.search(text):
        problems.append(f"raw payload in {text[:60]!r}")
    if JARGON.search(text):
        problems.append(f"jargon in {text[:60]!r}")
    if NEVER.search(text):
        problems.append(f"forbidden words in {text[:60]!r}")
    return problems


def describe(messages: list[Message]) -> str:
    out = []
    for m in messages:
        out.append("/".join(sorted(m.known.ids)[:3]) if m.known else f"?{m.text[:40]!r}")
    return "[" + ", ".join(out) + "]"


def load_dialogues() -> list[dict[str, Any]]:
    dialogues: list[dict[str, Any]] = []
    for path in sorted(DIALOGUE_DIR.glob("*.yml")):
        for dialogue in yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]:
            dialogue["file"] = path.name
            dialogues.append(dialogue)
    return dialogues
