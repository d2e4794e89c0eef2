"""Waypoint's own NLU parts: the spaCy pipeline builder, the accent-folding component (registered
with spaCy here, so any process that imports this package can load the built pipeline) and the
intent classifier."""

from bot.nlp import fold_accents as fold_accents
