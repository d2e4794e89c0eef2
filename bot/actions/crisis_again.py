"""A short line with a crisis's own number, after the answer to a follow-up while that crisis
is still a message or three back: "what if he comes back tonight" right after the emergency
options gets the safety ideas asked for AND the line that answers at night.

The safety net's reply is sent by the gateway, so the assistant knows of it only from the flag
on the message it followed (`safety_net` in the message's metadata). The line comes once after
each crisis, and only when the answer did not give that number itself: enough to keep it in
view, not so often that every answer repeats it (docs/conversation_design.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import channel_of, language_of, safety_net_answered, say
from resources.replies import load_replies, render, reply_numbers

# How far back (user messages) the safety net's last crisis answer is still "that number".
CRISIS_LOOKBACK = 3


def recent_crisis(tracker: Tracker) -> str | None:
    """The category ("self_harm") of the crisis the gateway's safety net answered in one of the
    person's last few messages before this one, or None."""
    return recent_crisis_of(tracker)[0]


def recent_crisis_of(tracker: Tracker) -> tuple[str | None, str | None]:
    """That crisis's category and whose it was ("self", or "other": a parent about a son), as
    the gateway's safety net read them; (None, None) when none."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        seen += 1
        if seen == 1:
            continue  # this message
        metadata = event.get("metadata") or {}
        category = metadata.get("safety_net") if isinstance(metadata, dict) else None
        if category:
            return str(category), str(metadata.get("safety_net_about") or "self")
        if seen > CRISIS_LOOKBACK:
            return None, None
    return None, None


def crisis_line_again(
    dispatcher: CollectingDispatcher, tracker: Tracker, given: Iterable[str]
) -> tuple[str, ...]:
    """Send `crisis_again_<category>` when it is due; returns the hotline ids it gave."""
    if safety_net_answered(tracker):
        return ()  # the gateway sends the whole crisis reply for this message
    category = recent_crisis(tracker)
    reply_id = f"crisis_again_{category}"
    if category is None or reply_id not in load_replies():
        return ()
    channel, language = channel_of(tracker), language_of(tracker)
    if set(reply_numbers(reply_id, channel, language)) <= set(given):
        return ()  # the answer gave those lines itself
    text = render(reply_id, channel, language)
    if text in _said_since_crisis(tracker):
        return ()
    return say(dispatcher, reply_id, channel, language)


def _said_since_crisis(tracker: Tracker) -> list[str]:
    """The assistant's texts since the person's message the safety net answered."""
    said: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            said.append(str(event.get("text") or ""))
        elif event.get("event") == "user" and (event.get("metadata") or {}).get("safety_net"):
            break
    return said
