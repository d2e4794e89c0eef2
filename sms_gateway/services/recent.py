"""Recent conversations an advocate may pick up although nobody asked for a person: the fourth
way a conversation is escalated (after the person's request, the crisis safety net and two
misunderstandings in a row).

The list shows what an advocate needs to choose, never what was written: the channel, the
contact as their role allows (last two digits for advocates), when the last message came, how
many there were, and crisis flags. Picking one opens a handoff held by that advocate; its
transcript starts with the last few messages, so the person does not have to tell it again, and
the person gets one discreet message saying someone is there if they want to talk.

Never listed, and refused when picked: a number that sent STOP, a conversation whose last
message was an exit (EXIT, STOP, or silenced), a web chat that was closed (quick exit or idle),
one a person already has, and anything older than RECENT_HOURS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, session_scope
from sms_gateway.models import Contact, Handoff, InboundMessage, WebConversation
from sms_gateway.services.auth import SignedIn
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.handoff import HandoffService
from sms_gateway.services.handoff_rules import (
    ACTIVE,
    HandoffError,
    can,
    mask_contact,
    reach_out_reasons,
)
from sms_gateway.services.history import HISTORY, said_in

MAX_ROWS = 5000  # inbound messages read for the list at most (newest first)


@dataclass
class _Conversation:
    conversation_id: str
    channel: str
    messages: list[InboundMessage] = field(default_factory=list)  # newest first

    @property
    def latest(self) -> InboundMessage:
        return self.messages[0]

    @property
    def flags(self) -> list[str]:
        """The crisis categories the safety net caught in any of its messages."""
        return sorted({f for m in self.messages for f in m.safety_flags.split(",") if f})


@dataclass(frozen=True)
class Picked:
    handoff_id: int
    language: str


class RecentConversations:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: FieldCipher,
        handoffs: HandoffService,
        recent_hours: int,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._handoffs = handoffs
        self._window = timedelta(hours=recent_hours)

    def available(self, viewer: SignedIn) -> list[dict[str, Any]]:
        """The conversations an advocate could pick, most recent first."""
        now = datetime.now(UTC)
        full = can(viewer.role, "see_full_number")
        if not can(viewer.role, "reach_out"):
            raise HandoffError(403, "reaching out needs the reach_out permission")
        with session_scope(self._sessions) as session:
            self._handoffs.audit(session, viewer, "view_recent", None)
            items = []
            for convo in self._eligible(session, now):
                latest = convo.latest
                contact = self._contact(convo)
                items.append(
                    {
                        "id": latest.id,
                        "channel": convo.channel,
                        "contact": mask_contact(contact, convo.channel, full),
                        "last_at": aware(latest.received_at).isoformat(),
                        "last_seconds": int((now - aware(latest.received_at)).total_seconds()),
                        "messages": len(convo.messages),
                        "flags": convo.flags,
                    }
                )
            return items

    def pick(self, viewer: SignedIn, message_id: int, reason: str) -> Picked:
        """Open a handoff held by `viewer` for the conversation of message `message_id`: only
        with the reach_out permission and one of the reasons, audited with it."""
        now = datetime.now(UTC)
        if not can(viewer.role, "reach_out"):
            with session_scope(self._sessions) as session:
                self._handoffs.audit(session, viewer, "denied_reach_out", None)
            raise HandoffError(403, "reaching out needs the reach_out permission")
        if reason not in reach_out_reasons():
            raise HandoffError(422, "choose why you are reaching out")
        with session_scope(self._sessions) as session:
            message = session.get(InboundMessage, message_id)
            if message is None:
                raise HandoffError(404, "no such conversation")
            eligible = self._eligible(session, now, only=message.conversation_id)
            if not eligible:
                raise HandoffError(409, "this conversation cannot be picked up now")
            (chosen,) = eligible
            contact = self._contact(chosen)
            history = self._history(chosen)
            language = _language_of(session, chosen)
        summary = {
            "reason_text": "An advocate reached out from recent conversations",
            "urgency": "normal",
            "flags": ", ".join(chosen.flags) or None,
            "messages_before": len(chosen.messages),
            "language": language,
        }
        escalation = self._handoffs.escalate(
            chosen.conversation_id, chosen.channel, "normal", "advocate_pick", summary, contact
        )
        self._handoffs.import_history(escalation.handoff_id, history)
        self._handoffs.claim(viewer, escalation.handoff_id)
        with session_scope(self._sessions) as session:
            self._handoffs.audit(
                session, viewer, "reach_out", escalation.handoff_id, f"reason={reason}"
            )
        return Picked(escalation.handoff_id, language)

    # -- helpers ----------------------------------------------------------------------------

    def _eligible(
        self, session: Session, now: datetime, only: str | None = None
    ) -> list[_Conversation]:
        """The conversations of the window that may be picked (just `only`'s, when given)."""
        query = (
            select(InboundMessage)
            .where(InboundMessage.received_at >= now - self._window)
            .order_by(InboundMessage.id.desc())
            .limit(MAX_ROWS)
        )
        if only is not None:
            query = query.where(InboundMessage.conversation_id == only)
        conversations: dict[str, _Conversation] = {}
        for row in session.scalars(query):
            convo = conversations.setdefault(
                row.conversation_id, _Conversation(row.conversation_id, row.channel)
            )
            convo.messages.append(row)
        if not conversations:
            return []
        ids = list(conversations)
        held = set(
            session.scalars(
                select(Handoff.conversation_id).where(
                    Handoff.conversation_id.in_(ids), Handoff.status.in_(ACTIVE)
                )
            )
        )
        opted_out = set(
            session.scalars(
                select(Contact.conversation_id).where(
                    Contact.conversation_id.in_(ids), Contact.opted_out.is_(True)
                )
            )
        )
        live_web = set(
            session.scalars(
                select(WebConversation.conversation_id).where(
                    WebConversation.conversation_id.in_(ids)
                )
            )
        )
        out = []
        for convo in conversations.values():
            if convo.conversation_id in held or convo.conversation_id in opted_out:
                continue
            if convo.latest.status == "silenced":  # STOP, EXIT, or a number opted out
                continue
            if convo.channel == "web" and convo.conversation_id not in live_web:
                continue
            if convo.channel == "sms" and self._contact(convo) is None:
                continue
            out.append(convo)
        return out

    def _contact(self, convo: _Conversation) -> str | None:
        for message in convo.messages:
            if message.contact_encrypted:
                return self._cipher.decrypt(message.contact_encrypted)
        return None

    def _history(self, convo: _Conversation) -> list[tuple[str, str, datetime]]:
        """(sender, text, when) for the last HISTORY messages and their replies, oldest first."""
        return said_in(self._cipher, convo.messages[:HISTORY])


def _language_of(session: Session, convo: _Conversation) -> str:
    if convo.channel == "sms":
        contact = session.get(Contact, convo.conversation_id)
        return (contact.language if contact else None) or "en"
    row = session.scalar(
        select(WebConversation).where(WebConversation.conversation_id == convo.conversation_id)
    )
    return (row.language if row else None) or "en"
