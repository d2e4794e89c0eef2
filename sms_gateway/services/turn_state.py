"""What the first transaction of a message learns (`Opened`) and what a channel must keep for
its people (`ChannelState`): the types the store, the pipeline and the channels share, in a
module of their own so none of them has to import another to name them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session

AfterCommit = Callable[[], None]  # what runs once a transaction committed (consoles told)


class ChannelState(Protocol):
    """How a channel finds its conversation and keeps its per-person state."""

    name: str

    def locate(self, session: Session, key: str, text: str) -> tuple[str, str, bool]:
        """(conversation id, language to answer in, opted out?) for a new message."""

    def external_id(self, conversation_id: str, client_id: str) -> str:
        """The id a replay of the same message carries (Twilio's MessageSid, the page's id)."""

    def set_opt_out(self, session: Session, conversation_id: str, opted_out: bool) -> bool:
        """Set the opt-out; return what it was before."""

    def may_send_later(self, session: Session, opened: Opened) -> bool:
        """Whether the person is still there to receive a message that leaves later."""


@dataclass
class Opened:
    """What the first transaction of a message learned."""

    external_id: str
    conversation_id: str
    inbound_id: int | None = None  # None: this id was seen before (a replay)
    language: str = "en"
    opted_out: bool = False
    held: int | None = None  # the handoff an advocate holds, if any
    choices: list[str] = field(default_factory=list)
    advocates_available: bool = False
    contact: str | None = None  # the SMS number, for a handoff's replies (never logged)
    handoff_open: bool = False  # queued or claimed when the message arrived
    purged: bool = False  # a replay of a message the retention purge removed
    has_plan: bool = False  # a plan is being thought through or kept (services/planner.py)
