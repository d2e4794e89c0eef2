"""Misspelled and sound-alike variants of every crisis lexicon entry, to test the safety net the
way people really type (docs/safety_net.md, "Variant families").

Two steps, both deterministic:

1. `instantiate` turns every phrase and every pattern of every category and language into
   concrete texts: each slot at its first alternative; then each alternative of each slot in turn
   (the others at their first); optional slots included, then all omitted. Gaps stay empty,
   `word*` becomes the shortest lexicon word with that prefix, `#` a number, `!a|b` a word that is
   none of these.
2. `variants` rewrites a text with each family below. A family models one habit (a sound-alike
   spelling, a typo, texting); it applies to the whole text (someone who writes "b" for "v" does
   it in every word) except for the typo families, which change one word or one word pair at a
   time. A family that changes nothing gives no variant.

The generator shares no code with the detector: it reads the lexicon's pattern language on its
own, so a detector bug cannot hide in a shared helper.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LEXICON = Path(__file__).resolve().parents[2] / "resources" / "data" / "crisis_lexicon.yml"
_SLOT = re.compile(r"(?:\[[^\]]*\]|[^\s\[])+")
_ALT = re.compile(r"\[([^\]]*)\]|([^|]+)")
_MACRO = re.compile(r"\$([A-Z_]+)")
_GAP = re.compile(r"\*\d{1,2}")
_VOWEL = "aeiou"
_FILLERS = ("now", "today", "again")


@dataclass(frozen=True)
class Base:
    """One concrete text made from one lexicon entry."""

    text: str
    category: str
    language: str
    entry: str


@dataclass(frozen=True)
class Variant:
    text: str
    family: str
    base: Base


def load_lexicon(path: Path = LEXICON) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def surface(word: str) -> str:
    """Lower case, no accents, doubled letters once: how the generator tells words apart."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return re.sub(r"([a-z])\1+", r"\1", word.replace("'", ""))


# -- 1. lexicon entries -> texts ---------------------------------------------------------------


def _slots(pattern: str, macros: dict[str, str]) -> list[tuple[list[str], bool]]:
    """Each slot as (alternatives as texts, optional). Gaps are dropped (left empty)."""
    expanded = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
    slots = []
    for raw in _SLOT.findall(expanded):
        optional = raw.endswith("?") and len(raw) > 1
        body = raw[:-1] if optional else raw
        if _GAP.fullmatch(body):
            continue
        alternatives = [
            part
            for m in _ALT.finditer(body)
            for part in (m.group(1).split("|") if m.group(1) is not None else [m.group(2)])
        ]
        slots.append((alternatives, optional))
    return slots


class _Words:
    """Completions for `word*` slots: the shortest lexicon word with that prefix."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._words = sorted(
            {w for t in texts for w in t.lower().split()}, key=lambda w: (len(w), w)
        )

    def complete(self, prefix: str) -> str:
        return next((w for w in self._words if w.startswith(prefix) and w != prefix), prefix)


def _render(alternative: str, slot: list[str], last: bool, words: _Words) -> str | None:
    """One alternative as text; None when it cannot stand where it is."""
    if alternative in ("<s>", "</s>"):
        return ""
    if alternative.startswith("!"):
        excluded = {a.lstrip("!") for a in slot}
        return "" if last else next(f for f in _FILLERS if f not in excluded)
    if alternative == "#":
        return "5"
    if alternative.endswith("*"):
        return words.complete(alternative[:-1])
    if alternative.startswith("*"):
        return None
    return alternative


def instantiate_pattern(pattern: str, macros: dict[str, str], words: _Words) -> list[str]:
    slots = _slots(pattern, macros)
    texts: list[str] = []

    def build(choice: dict[int, str | None], omit_optional: bool) -> None:
        parts: list[str] = []
        for i, (alternatives, optional) in enumerate(slots):
            if i in choice:
                alternative = choice[i]
            elif optional and omit_optional:
                alternative = None
            else:
                alternative = alternatives[0]
            if alternative is None:
                continue
            rendered = _render(alternative, alternatives, i == len(slots) - 1, words)
            if rendered is None:
                return
            if alternative == "<s>" and parts:
                return
            if alternative == "</s>" and i != len(slots) - 1:
                return
            if rendered:
                parts.append(rendered)
        text = " ".join(parts)
        if text and text not in texts:
            texts.append(text)

    build({}, omit_optional=False)
    build({}, omit_optional=True)
    for i, (alternatives, _) in enumerate(slots):
        if alternatives[0].startswith("!"):  # one slot: "none of these", not alternatives
            continue
        for alternative in alternatives[1:]:
            build({i: alternative}, omit_optional=False)
    return texts


def instantiate(lexicon: dict[str, Any]) -> list[Base]:
    """Concrete texts for every phrase and pattern of every crisis category and language."""
    macros = {k: str(v) for k, v in (lexicon.get("macros") or {}).items()}
    bases: list[Base] = []
    for category, languages in lexicon["categories"].items():
        for language, entries in languages.items():
            phrases = [str(p) for p in entries.get("phrases") or []]
            words = _Words(phrases)
            for phrase in phrases:
                bases.append(Base(phrase, category, language, f"phrase: {phrase}"))
            for pattern in entries.get("patterns") or []:
                for text in instantiate_pattern(str(pattern), macros, words):
                    bases.append(Base(text, category, language, f"pattern: {pattern}"))
    return bases


# -- 2. the variant families -------------------------------------------------------------------


def _each_word(text: str, change: Callable[[str], str]) -> str:
    return " ".join(change(w) for w in text.split())


def _subst(pattern: str, replacement: str) -> Callable[[str], str]:
    regex = re.compile(pattern)
    return lambda text: _each_word(text, lambda w: regex.sub(replacement, w))


def _table(pairs: dict[str, str]) -> Callable[[str], str]:
    """Whole-word (and multi-word) replacements, longest first, never re-replaced."""
    keys = sorted(pairs, key=len, reverse=True)
    regex = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w'])")
    return lambda text: regex.sub(lambda m: pairs[m.group()], text)


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _double_one(word: str) -> str:
    """Double the first consonant after the first vowel: "matar" -> "mattar" (emphasis, slips)."""
    for i, ch in enumerate(word):
        if ch in _VOWEL:
            for j in range(i + 1, len(word)):
                if word[j].isalpha() and word[j] not in _VOWEL:
                    return word[: j + 1] + word[j] + word[j + 1 :]
            break
    return word


TEXTING_EN_A = {
    "you": "u", "your": "ur", "you are": "ur", "right now": "rn", "i am": "im",
    "want to": "wanna", "going to": "gonna", "kill myself": "kms", "kill yourself": "kys",
    "i do not know": "idk", "please": "pls", "do not": "dont", "can not": "cant",
    "because": "bc", "boyfriend": "bf", "girlfriend": "gf", "tonight": "tonite",
    "about to": "bout to", "he is": "hes", "she is": "shes", "they are": "theyre",
    "i will": "ill", "people": "ppl", "someone": "some1", "are": "r", "with": "w",
    "what": "wat", "okay": "ok", "trying to": "tryna", "got to": "gotta",
}  # fmt: skip
TEXTING_EN_B = {
    "your": "yr", "right now": "rite now", "i am": "i'm", "want to": "wan2",
    "going to": "finna", "kill myself": "kill my self", "i do not know": "i dunno",
    "please": "plz", "do not": "don’t", "can not": "can’t", "because": "cuz",
    "tonight": "2nite", "he is": "he’s", "she is": "she’s", "i will": "i’ll",
    "to": "2", "tomorrow": "tmrw", "about": "abt", "something": "smth", "before": "b4",
}  # fmt: skip
TEXTING_ES_A = {
    "que": "q", "porque": "xq", "también": "tmb", "tambien": "tmb", "por": "x",
    "estoy": "toy", "está": "ta", "esta": "ta", "estás": "tas", "estas": "tas",
    "quiero": "kiero", "quieres": "kieres", "vivir": "bivir", "por favor": "xfa",
    "aquí": "aki", "aqui": "aki", "nada": "nd", "de": "d", "mamá": "ma", "mama": "ma",
    "para": "pa", "ya": "ia", "bien": "bn", "muy": "mui",
}  # fmt: skip
TEXTING_ES_B = {
    "que": "k", "porque": "pq", "estoy": "stoy", "está": "sta", "esta": "sta",
    "quiero": "qiero", "tengo": "tngo", "por favor": "porfa", "aquí": "aqi", "aqui": "aqi",
    "también": "tb", "tambien": "tb", "para": "pa", "todo": "to", "nada": "na",
    "mucho": "mxo", "ahorita": "orita", "hermano": "bro",
}  # fmt: skip
SPANGLISH_EN = {
    "please": "porfa", "right now": "ahorita", "now": "ahorita", "my mom": "mi mama",
    "my mother": "mi mama", "my dad": "mi papa", "my father": "mi papa",
    "my boyfriend": "mi novio", "my friend": "mi amiga", "and": "y", "but": "pero",
    "because": "porque", "really": "neta", "help": "ayuda", "the police": "la policia",
    "my sister": "mi hermana", "my brother": "mi hermano", "my daughter": "mi hija",
}  # fmt: skip
SPANGLISH_ES = {
    "por favor": "please", "ayuda": "help", "ahora": "now", "ahorita": "now",
    "mi novio": "my bf", "novio": "bf", "y": "and", "pero": "but", "porque": "bc",
    "neta": "fr", "la policia": "the cops", "mi mama": "my mom", "mi papa": "my dad",
}  # fmt: skip
ACCENTS_ES = {
    "aqui": "aquí", "esta": "está", "estan": "están", "estas": "estás", "mas": "más",
    "tambien": "también", "dano": "daño", "policia": "policía", "mama": "mamá",
    "papa": "papá", "dia": "día", "despues": "después", "asi": "así", "el": "él",
    "mi": "mí", "ahi": "ahí", "alla": "allá", "aca": "acá", "senor": "señor", "nino": "niño",
    "nina": "niña", "manana": "mañana", "muneca": "muñeca", "munecas": "muñecas",
    "apunalo": "apuñaló", "golpeo": "golpeó", "violo": "violó", "toco": "tocó",
    "pego": "pegó", "mato": "mató", "corte": "corté", "queme": "quemé", "tome": "tomé",
    "compre": "compré", "intente": "intenté", "desperte": "desperté", "estaria": "estaría",
    "estarian": "estarían", "ojala": "ojalá", "razon": "razón", "violacion": "violación",
    "autolesion": "autolesión", "secuestro": "secuestró", "amenazo": "amenazó",
    "empujo": "empujó", "encerro": "encerró", "obligo": "obligó", "forzo": "forzó",
    "abuso": "abusó", "drogo": "drogó", "sotano": "sótano", "telefono": "teléfono",
    "baño": "baño", "bano": "baño", "extranaria": "extrañaría", "extrañaria": "extrañaría",
    "pildoras": "píldoras", "estomago": "estómago", "despedida": "despedida",
}  # fmt: skip

_EN_CONSONANTS = "bcdfghjklmnpqrstvwxyz"

# name -> (languages, rewrite of the whole text). Typo families are generated separately.
FAMILIES: dict[str, tuple[tuple[str, ...], Callable[[str], str]]] = {
    "v_to_b": (("en", "es"), _subst("v", "b")),
    "b_to_v": (("es",), _subst("b", "v")),
    "s_to_z": (("es",), _subst(r"s(?=[aeiou])", "z")),
    "z_to_s": (("es",), _subst("z", "s")),
    "c_to_s": (("en", "es"), _subst(r"c(?=[eiy])", "s")),
    "s_to_c": (("es",), _subst(r"s(?=[ei])", "c")),
    "s_to_z_en": (("en",), _subst(r"(?<=[aeiou])s(?=[aeiou]|$)", "z")),
    "qu_to_k": (("es",), _subst(r"qu(?=[ei])", "k")),
    "qu_to_q": (("es",), _subst(r"qu(?=[ei])", "q")),
    "c_to_k": (("en", "es"), _subst(r"c(?=[aoulr])|ck", "k")),
    "ll_to_y": (("es",), _subst("ll", "y")),
    "y_to_ll": (("es",), _subst(r"y(?=[aeiou])", "ll")),
    "h_dropped": (("es",), _subst(r"(?<!c)h", "")),
    "h_dropped_en": (("en",), _subst(r"(?<=[wg])h", "")),
    "h_added": (("es",), _subst(r"^(?=[aeo]\w{3})", "h")),
    "g_to_j": (("es",), _subst(r"g(?![uü])", "j")),
    "j_to_g": (("es",), _subst(r"j(?=[eiéí])", "g")),
    "h_to_j_en": (("en",), _subst(r"^h(?=[aeiou])", "j")),
    "doubled_letter": (("en", "es"), lambda t: _each_word(t, _double_one)),
    "accents_added": (("es",), _table(ACCENTS_ES)),
    "accents_dropped": (("es",), _strip_accents),
    "texting_a": (("en",), _table(TEXTING_EN_A)),
    "texting_b": (("en",), _table(TEXTING_EN_B)),
    "texting_es_a": (("es",), _table(TEXTING_ES_A)),
    "texting_es_b": (("es",), _table(TEXTING_ES_B)),
    "spanglish": (("en",), _table(SPANGLISH_EN)),
    "spanglish_es": (("es",), _table(SPANGLISH_ES)),
}
TYPO_FAMILIES = ("missing_letter", "run_together")
ALL_FAMILIES = (*FAMILIES, *TYPO_FAMILIES)


def _missing_letter(text: str, known: frozenset[str]) -> Iterator[tuple[object, str]]:
    """One letter (never the first) dropped from one word of 5+ letters. A result that is
    itself a known word ("matar" -> "mata", "where" -> "were") is a real-word error, which no
    spelling method can catch without context: it is not generated (see the docs)."""
    words = text.split()
    for i, word in enumerate(words):
        if len(word) < 5 or not word.isalpha():
            continue
        original = surface(word)
        for j in range(1, len(word)):
            shorter = word[:j] + word[j + 1 :]
            short = surface(shorter)
            if short == original or short in known or len(short) < 4:
                continue
            yield (word, j), " ".join([*words[:i], shorter, *words[i + 1 :]])


def _run_together(text: str, known: frozenset[str]) -> Iterator[tuple[object, str]]:
    """Two neighbouring words typed without the space between them, unless that makes a known
    word ("to do" -> "todo", "golpea a" -> "golpeaa", read as "golpea")."""
    words = text.split()
    for i in range(len(words) - 1):
        joined = words[i] + words[i + 1]
        if joined.isalpha() and surface(joined) not in known:
            yield (words[i], words[i + 1]), " ".join([*words[:i], joined, *words[i + 2 :]])


def variant_texts(
    text: str, language: str, known: frozenset[str], done: set[object] | None = None
) -> Iterator[tuple[str, str]]:
    """(family, variant text) for one text; each text appears once, under its first family.
    `done` remembers the typos already made for the same lexicon entry: a pattern's texts
    differ in one slot, and "kil" for "kill" needs testing once per entry, not once per subject
    of $PERSON."""
    done = set() if done is None else done
    seen = {text}
    whole = (
        (name, rewrite(text))
        for name, (languages, rewrite) in FAMILIES.items()
        if language in languages
    )
    typos = itertools.chain(
        (("missing_letter", k, v) for k, v in _missing_letter(text, known)),
        (("run_together", k, v) for k, v in _run_together(text, known)),
    )

    def first_time(key: object) -> bool:
        if key in done:
            return False
        done.add(key)
        return True

    fresh = ((f, v) for f, k, v in typos if first_time((f, k)))
    for family, variant in itertools.chain(whole, fresh):
        if variant not in seen:
            seen.add(variant)
            yield family, variant


def known_words(lexicon: dict[str, Any], corpus: Iterable[str] = ()) -> frozenset[str]:
    """Every word of the lexicon (entries, macros, negatives, hints, abbreviations) and of an
    ordinary-message corpus, in surface form: what counts as a real word for `missing_letter`."""
    texts: list[str] = [*corpus]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                texts.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif node is not None:
            texts.append(str(node))

    walk({k: v for k, v in lexicon.items() if k != "rewrites"})
    return frozenset(surface(w) for t in texts for w in re.findall(r"[^\W\d_]+", t.lower()))


def variants(bases: Iterable[Base], known: frozenset[str]) -> list[Variant]:
    """Every variant of every base text; a text reached from two bases is kept once."""
    out: list[Variant] = []
    seen: set[str] = set()
    done: dict[tuple[str, str, str], set[object]] = {}
    for base in bases:
        entry = done.setdefault((base.category, base.language, base.entry), set())
        for family, text in variant_texts(base.text, base.language, known, entry):
            if text not in seen:
                seen.add(text)
                out.append(Variant(text, family, base))
    return out
