"""A spaCy component that gives each token a lemma without accents, lowercased ("Qué" -> "que",
"más" -> "mas", "mamá" -> "mama").

Why: people text Spanish with or without accents, and our Spanish examples mostly have none
(that is how most of them are typed). Rasa's count features use a token's lemma when it has one
(CountVectorsFeaturizer `use_lemma`, on by default), so with this lemma "¿Qué más?" and "que mas"
give the same word features; the text itself, which the actions read, is unchanged. ñ stays
(it is a letter of its own: "año" is not "ano").

Registered with spaCy on import; bot/nlp/__init__.py imports it, so every Rasa process that
loads config.yml (which names bot.nlp.intent_classifier) can load the pipeline.
"""

from __future__ import annotations

import unicodedata

from spacy.language import Language
from spacy.tokens import Doc

NAME = "waypoint_fold_accents"


def fold(text: str) -> str:
    """Lowercase and without combining accents, keeping ñ."""
    out = []
    for ch in text.lower():
        if ch == "ñ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


@Language.component(NAME)
def fold_accents(doc: Doc) -> Doc:
    for token in doc:
        token.lemma_ = fold(token.text)
    return doc
