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
from resources.guide import every_answer as every_guide_answer
from resources.guide import load_guide
from resources.present import main_menu, places_answer

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
                text = places_answer(
                    resolution.label, point, channel=channel, age=age, language=language
                )
                out.append((f"places_answer[{query}/{age}/{channel}/{language}]", text, "youth"))
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


def guide_texts() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for text_id, reader, reply in every_guide_answer():
        out.append((f"guide:{text_id}", reply.text, reader))
        out += [(f"guide:{text_id}.button", b.title, reader) for b in reply.buttons]
    return out


def button_texts() -> list[tuple[str, str, str]]:
    out = [(f"menu[{b['title']}]", b["title"], "youth") for b in main_menu()]
    out += [(f"choice[{k}]", b.title, "youth") for k, b in load_guide().choices.items()]
    return out


def spanish_action_texts() -> list[tuple[str, str, str]]:
    """Texts the actions write in Spanish (checked with the Spanish rules: no English reading
    grade, but length, characters and the seeds' terms)."""
    seen: set[str] = set()
    out = []
    for text_id, text, audience in place_texts("es"):
        if text not in seen:
            seen.add(text)
            out.append((text_id, text, audience))
    return out


def action_texts() -> list[tuple[str, str, str]]:
    """(text id, text, audience) for each distinct text, first id kept."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, str]] = []
    for text_id, text, audience in place_texts() + guide_texts() + button_texts():
        if (text, audience) not in seen:
            seen.add((text, audience))
            out.append((text_id, text, audience))
    return out
