"""Every text an action can produce, rendered from resources/ for the checker:

- place answers for every region, every place's own ZIP, places outside our regions, an unknown
  place, and the ages a person may give (places that would turn them away are left out);
- every guide answer (resources/data/guide.yml) for every reader, channel and language, every
  part and every idea of every idea list, with the closing text, walked through the same
  functions the actions call (resources.guide.every_answer);
- every button title the actions can offer;
- the same place answers in Spanish (spanish_action_texts, checked with the Spanish rules).

Replies in resources/data/replies.yml are linted by test_wording.py directly. The action tests
(tests/actions/test_texts.py) run the actions themselves and check that everything they send is
in this list, so an action cannot send a text the checker never saw.
"""

from __future__ import annotations

from resources import load_catalog, resolve_location
from resources.guide import load_guide
from resources.guide_answers import every_answer as every_guide_answer
from resources.numbers import numbers_text
from resources.present import main_menu, places_answer
from resources.replies import load_replies, reply_numbers
from resources.reporting import every_reporting_text

PLACE_QUERIES = [
    "las vegas",
    "reno",
    "sparks",
    "henderson nv",
    "north las vegas",
    "the strip",
    "downtown reno",
    "89119",
    "89104",
    "89502",
    "89512",
    "89706",
    "elko",
    "fresno",
    "sacramento",
    "los angeles",
    "austin tx",
    "new york",
    "anchorage ak",
    "miami fl",
]
# Ages a person may give ("im 15"): under and over the age ranges places print.
AGES = [None, 11, 13, 15, 17, 19, 21, 24]
# What a place search is for (bot/actions/places.py need_of).
NEEDS = ["shelter", "basic_needs", "open_now"]


def place_texts(language: str = "en") -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    catalog = load_catalog()
    queries = list(PLACE_QUERIES)
    queries += [p.address.zip for p in catalog.places if p.address]
    for query in queries:
        resolution = resolve_location(query)
        point = (resolution.point.lat, resolution.point.lon) if resolution.point else None
        for age in AGES:
            for channel in ("sms", "web"):
                for need in NEEDS:
                    text = places_answer(
                        resolution.label,
                        point,
                        channel=channel,
                        age=age,
                        language=language,
                        need=need,
                    )
                    where = f"{query}/{age}/{channel}/{language}/{need}"
                    out.append((f"places_answer[{where}]", text, "youth"))
        if resolution.clarifying_question and language == "en":
            out.append((f"clarify[{query}]", resolution.clarifying_question, "youth"))
    unknown = places_answer(None, None, language=language)
    out.append((f"places_answer[unknown/{language}]", unknown, "youth"))
    if language != "en":
        return out
    for q in ["springfield", "asdfgh", "somewhere"]:
        question = resolve_location(q).clarifying_question
        if question:
            out.append((f"clarify[{q}]", question, "youth"))
    return out


def guide_texts(language: str = "en") -> list[tuple[str, str, str]]:
    """Guide answers written in `language` (a Spanish request may fall back to English: that
    text is then linted as English, at the reader's reading level)."""
    out: list[tuple[str, str, str]] = []
    for text_id, reader, reply in every_guide_answer():
        if reply.language != language:
            continue
        out.append((f"guide:{text_id}", reply.text, reader))
        out += [(f"guide:{text_id}.button", b.title, reader) for b in reply.buttons]
    return out


def reporting_texts(language: str = "en") -> list[tuple[str, str, str]]:
    """The county's child-abuse reporting line after a reporting answer (bot/actions/where.py),
    read by adults and by young people alike: linted at the youth's reading level. The actions
    send it without its own 911 sentence (the answer before it has one)."""
    return [
        (i, text, "youth")
        for i, lang, text in every_reporting_text()
        if lang == language and i.endswith("/False]")
    ]


def numbers_again_texts(language: str = "en") -> list[tuple[str, str, str]]:
    """ "The number again" (resources/numbers.py) for every set of numbers an answer can give:
    each guide answer's, each reply's, each reporting line's."""
    sets = {a.numbers for _, _, a in every_guide_answer() if a.numbers}
    sets |= {
        reply_numbers(r, "sms", lang)
        for r, entry in load_replies().items()
        if entry.get("sms") or entry.get("web")  # console-only notices give no numbers
        for lang in ("en", "es")
    }
    sets |= {
        answer.numbers + reporting
        for _, _, answer in every_guide_answer()
        for reporting in reporting_sets()
    }
    out = []
    for numbers in sorted(s for s in sets if s):
        text = numbers_text(numbers, language)
        if text:
            out.append((f"numbers_again[{','.join(numbers)}/{language}]", text, "youth"))
    return out


def reporting_sets() -> set[tuple[str, ...]]:
    from resources.reporting import EXAMPLES, reporting_line_ids

    return {reporting_line_ids(c, s, danger=d) for c, s in EXAMPLES for d in (True, False)}


def button_texts() -> list[tuple[str, str, str]]:
    out = [(f"menu[{b['title']}]", b["title"], "youth") for b in main_menu()]
    out += [(f"choice[{k}]", b.title, "youth") for k, b in load_guide().choices.items()]
    return out


def spanish_action_texts() -> list[tuple[str, str, str]]:
    """Texts the actions write in Spanish (checked with the Spanish rules: no English reading
    grade, but length, characters and the seeds' terms)."""
    seen: set[str] = set()
    out = []
    spanish = place_texts("es") + guide_texts("es") + reporting_texts("es")
    for text_id, text, audience in spanish + numbers_again_texts("es"):
        if text not in seen:
            seen.add(text)
            out.append((text_id, text, audience))
    return out


def action_texts() -> list[tuple[str, str, str]]:
    """(text id, text, audience) for each distinct text, first id kept."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, str]] = []
    english = place_texts() + guide_texts() + button_texts() + reporting_texts()
    for text_id, text, audience in english + numbers_again_texts():
        if (text, audience) not in seen:
            seen.add((text, audience))
            out.append((text_id, text, audience))
    return out
