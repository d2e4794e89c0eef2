"""Which answer is the next step for a reader after the answer before: "what do i do?" and the
reply to "Is this for you?" both ask it (bot/actions/followups.py, topics.py)."""

from __future__ import annotations

from resources.crisis_person import OTHER, SELF

ADULT_READERS = ("caregiver", "professional")
# Readers who may be telling of someone else's crisis.
HELPERS = (*ADULT_READERS, "friend")
# What a person worried about someone's suicidal thoughts or self-harm can do now.
SOMEONE_IN_CRISIS = "guide:someone_in_crisis"
# The crises whose "what do i do" has that answer (the safety net's categories).
TOLD_CRISES = ("suicide", "self_harm")


def crisis_told_of(last: str, category: str | None, whose: str | None) -> str | None:
    """Whose suicidal thoughts or self-harm the conversation just told of ("self" or "other"),
    from the safety net's reading of a recent message or the last answer the assistant gave
    (reply:crisis_suicide, reply:crisis_self_harm_other); None when it told of neither."""
    if category in TOLD_CRISES:
        return whose or SELF
    for crisis in TOLD_CRISES:
        if last.startswith(f"reply:crisis_{crisis}"):
            return OTHER if last.endswith("_other") else SELF
    return None


def next_steps_ref(reader: str, last: str) -> str:
    """Which answer is the next step for `reader` after the answer `last`."""
    if reader in ADULT_READERS:
        if last.startswith("guide:child_missing"):
            return "guide:child_missing.now"
        return "guide:adult_next_steps"
    if reader == "friend":
        return "guide:friend_help"
    if last.startswith("guide:running_away"):
        return "guide:running_away.stranded" if "stranded" in last else "guide:youth_next_steps"
    return "guide:youth_next_steps"
