"""Which answer is the next step for a reader after the answer before: "what do i do?" and the
reply to "Is this for you?" both ask it (bot/actions/followups.py, topics.py)."""

from __future__ import annotations

ADULT_READERS = ("caregiver", "professional")


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
