"""The interface every channel implements for the conversation pipeline (services/pipeline.py):
how it finds its conversation and keeps per-person state (`ChannelState`), what a reply looks
like on it, and how a message that comes later reaches the person. SMS and web chat implement
it (services/inbound_sms.py, services/webchat.py); a later channel only needs these methods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from sms_gateway.services.keywords import Keyword
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.turn_state import AfterCommit, ChannelState


@dataclass(frozen=True)
class Inbound:
    """One message as a channel hands it over."""

    key: str  # what locates the conversation: the sender's number, the page's token
    client_id: str  # the channel's id of this message: Twilio's MessageSid, the page's id
    body: str  # as written, stored (encrypted) whatever happens
    text: str  # what the safety net and the keywords read (a tapped choice: its title)
    payload: str | None = None  # what the assistant gets instead (a tapped choice's payload)
    contact: str | None = None  # where a later reply goes (the SMS number)


class Channel(ChannelState, Protocol):
    """What differs between channels: finding the conversation (ChannelState), what a reply
    looks like, and how a message that comes later reaches the person."""

    keywords: frozenset[Keyword]  # the whole-message keywords this channel acts on

    def present(self, messages: list[BotMessage]) -> tuple[list[Any], list[str] | None]:
        """(the reply as the channel sends and stores it, the choices its numbers now mean)."""

    def later(
        self, session: Session, conversation_id: str, contact: str | None, reply: list[Any]
    ) -> AfterCommit | None:
        """Send `reply` after the request was answered: queued in `session`, or pushed once
        the transaction commits (the returned action)."""
