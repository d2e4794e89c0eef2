"""The handoff queue: escalations wait here (urgent first, then by waiting time) until one
advocate claims them; while held, the youth's messages go to that advocate and not to Rasa.

Every claim and message is audited (never with message text). Contacts and texts are
encrypted at rest. What an advocate may see and do is checked in handoff_rules (permissions are
data, not code); what the console reads is handoff_views."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import session_scope
from sms_gateway.models import AuditEvent, Handoff, HandoffMessage
from sms_gateway.services import delivery_states, held_crisis, history
from sms_gateway.services.auth import SignedIn
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.events import EventBus
from sms_gateway.services.handoff_rules import (
    ACTIVE,
    OUTCOMES,
    HandoffError,
    audit_in,
    held_in,
    person_left_notice,
    visible_in,
)
from sms_gateway.services.handoff_views import HandoffViews


@dataclass(frozen=True)
class Escalation:
    handoff_id: int
    created: bool


class HandoffService:
    def __init__(self, sessions: sessionmaker[Session], cipher: FieldCipher, bus: EventBus) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self.bus = bus
        self.views = HandoffViews(sessions, cipher)  # what the console reads

    # -- escalation (bot, safety net, misunderstanding, advocate pick) ---------------------------

    def escalate(
        self,
        conversation_id: str,
        channel: str,
        urgency: str,
        reason: str,
        summary: dict[str, Any],
        contact: str | None,
    ) -> Escalation:
        """Open a handoff, or raise the urgency of the one already open (never two at once)."""
        with session_scope(self._sessions) as session:
            escalation = self.escalate_in(
                session, conversation_id, channel, urgency, reason, summary, contact
            )
        self.bus.publish({"type": "queue"})
        return escalation

    def escalate_in(
        self,
        session: Session,
        conversation_id: str,
        channel: str,
        urgency: str,
        reason: str,
        summary: dict[str, Any],
        contact: str | None,
    ) -> Escalation:
        """`escalate` inside the caller's transaction (the caller publishes {"type": "queue"}
        after it commits), so one message's steps share one transaction."""
        now = datetime.now(UTC)
        existing = self._active(session, conversation_id)
        if existing is not None:
            if urgency == "urgent" and existing.urgency != "urgent":
                existing.urgency = "urgent"
                existing.reason = reason
            self._merge_summary(existing, summary)
            return Escalation(existing.id, False)
        row = Handoff(
            conversation_id=conversation_id,
            channel=channel,
            urgency=urgency,
            reason=reason,
            status="queued",
            summary_encrypted=self._cipher.encrypt(json.dumps(summary)),
            contact_encrypted=self._cipher.encrypt(contact) if contact else None,
            created_at=now,
        )
        session.add(row)
        session.flush()
        session.add(
            AuditEvent(
                at=now,
                advocate_id=None,
                action="escalated",
                handoff_id=row.id,
                detail=f"{urgency}:{reason}"[:128],
            )
        )
        return Escalation(row.id, True)

    def calm_in(self, row: Handoff, note: str) -> None:
        """Out of the urgent lane, with why in the summary ("not now" to a person after crisis
        words): the item stays in the queue, in the caller's transaction."""
        row.urgency = "normal"
        self._merge_summary(row, {"urgency": "normal", "declined": note})

    def _merge_summary(self, row: Handoff, fields: dict[str, Any]) -> None:
        merged = {**self.views.summary_of(row), **{k: v for k, v in fields.items() if v}}
        row.summary_encrypted = self._cipher.encrypt(json.dumps(merged))

    def active_in(self, session: Session, conversation_id: str) -> Handoff | None:
        """The open (queued or claimed) handoff of a conversation, if any."""
        return self._active(session, conversation_id)

    def add_message_in(
        self, session: Session, handoff_id: int, sender: str, text: str
    ) -> dict[str, Any]:
        """A youth's or the assistant's message in the caller's transaction; the caller
        publishes {"type": "message", ...} with the returned dict after it commits."""
        return self._add_message_in(session, handoff_id, sender, text, None, None)

    def earlier_in(
        self, session: Session, conversation_id: str, before_id: int | None
    ) -> list[tuple[str, str, datetime]]:
        """What was said before the message being answered (services/history.py)."""
        return history.before_in(session, self._cipher, conversation_id, before_id)

    def stand_by_in(
        self, session: Session, handoff_id: int, text: str, seconds: float
    ) -> dict[str, Any]:
        """The safety net's reply kept for the advocate (services/held_crisis.py)."""
        due = datetime.now(UTC) + timedelta(seconds=seconds)
        return self._add_message_in(
            session, handoff_id, held_crisis.SAFETY_NET, text, None, held_crisis.STANDBY, due
        )

    def end_for_person(self, session: Session, conversation_id: str) -> list[int]:
        """The person left (EXIT, STOP, quick exit): every open handoff of theirs ends at once,
        and what was queued for them is cancelled. Returns the ended handoffs' ids; the caller
        publishes `left_events` for them after the transaction commits."""
        now = datetime.now(UTC)
        rows = session.scalars(
            select(Handoff).where(
                Handoff.conversation_id == conversation_id, Handoff.status.in_(ACTIVE)
            )
        ).all()
        for row in rows:
            row.status, row.ended_at, row.outcome = "left", now, "person_left"
            session.add(
                AuditEvent(
                    at=now, advocate_id=None, action="person_left", handoff_id=row.id, detail=""
                )
            )
        ids = [row.id for row in rows]
        if ids:
            queued = session.scalars(
                select(HandoffMessage).where(
                    HandoffMessage.handoff_id.in_(ids),
                    HandoffMessage.delivery.in_(("queued", held_crisis.STANDBY)),
                )
            ).all()
            for message in queued:
                message.delivery, message.next_attempt_at, message.error = (
                    "cancelled",
                    None,
                    "person_left",
                )
        return ids

    def left_events(self, handoff_ids: list[int]) -> None:
        """Tell every console at once that these people left (the open view changes live)."""
        for handoff_id in handoff_ids:
            self.bus.publish({"type": "left", "handoff": handoff_id})
        if handoff_ids:
            self.bus.publish({"type": "queue"})

    def held_by_advocate(self, conversation_id: str) -> int | None:
        """The id of the handoff whose advocate now gets this conversation's messages."""
        with session_scope(self._sessions) as session:
            row = self._active(session, conversation_id)
            return row.id if row is not None and row.status == "claimed" else None

    def open_handoff(self, conversation_id: str) -> int | None:
        with session_scope(self._sessions) as session:
            row = self._active(session, conversation_id)
            return row.id if row is not None else None

    def import_history(self, handoff_id: int, history: list[tuple[str, str, datetime]]) -> None:
        """Put earlier messages (sender, text, when) at the start of a transcript, with their
        own times, so an advocate who picks a conversation sees what was already said."""
        with session_scope(self._sessions) as session:
            self.import_history_in(session, handoff_id, history)

    def import_history_in(
        self, session: Session, handoff_id: int, history: list[tuple[str, str, datetime]]
    ) -> None:
        """`import_history` in the caller's transaction (a handoff the turn just opened)."""
        for sender, text, at in history:
            session.add(
                HandoffMessage(
                    handoff_id=handoff_id,
                    sender=sender,
                    body_encrypted=self._cipher.encrypt(text),
                    created_at=at,
                    attempts=0,
                )
            )

    def audit(
        self,
        session: Session,
        viewer: SignedIn,
        action: str,
        handoff_id: int | None,
        detail: str = "",
    ) -> None:
        """Record a view or change made outside this service (e.g. the recent list)."""
        audit_in(session, viewer, action, handoff_id, detail)

    def record_youth_message(self, handoff_id: int, text: str) -> dict[str, Any]:
        return self._add_message(handoff_id, "youth", text, None, None)

    def record_bot_message(self, handoff_id: int, text: str) -> dict[str, Any]:
        return self._add_message(handoff_id, "bot", text, None, None)

    # -- the console ------------------------------------------------------------------------

    def claim(self, viewer: SignedIn, handoff_id: int) -> Handoff:
        with session_scope(self._sessions) as session:
            row = visible_in(session, viewer, handoff_id)
            if row.status == "left":
                raise HandoffError(410, person_left_notice())
            if row.status == "claimed" and row.claimed_by != viewer.advocate_id:
                raise HandoffError(409, "someone else has this conversation")
            if row.status not in ACTIVE:
                raise HandoffError(409, "this conversation has ended")
            row.status, row.claimed_by, row.claimed_at = (
                "claimed",
                viewer.advocate_id,
                datetime.now(UTC),
            )
            audit_in(session, viewer, "claim", row.id)
        self.bus.publish({"type": "queue"})
        return row

    def release(self, viewer: SignedIn, handoff_id: int) -> None:
        with session_scope(self._sessions) as session:
            row = held_in(session, viewer, handoff_id)
            row.status, row.claimed_by = "queued", None
            audit_in(session, viewer, "release", row.id)
        self.bus.publish({"type": "queue"})

    def end(self, viewer: SignedIn, handoff_id: int, status: str, outcome: str | None) -> Handoff:
        """Hand back to the bot (status "returned") or close with an outcome code."""
        if outcome is not None and outcome not in OUTCOMES:
            raise HandoffError(422, f"outcome must be one of {OUTCOMES}")
        with session_scope(self._sessions) as session:
            row = held_in(session, viewer, handoff_id)
            row.status, row.outcome, row.ended_at = status, outcome, datetime.now(UTC)
            audit_in(
                session,
                viewer,
                "hand_back" if status == "returned" else "close",
                row.id,
                outcome or "",
            )
        self.bus.publish({"type": "queue"})
        return row

    def advocate_message(
        self, viewer: SignedIn, handoff_id: int, text: str
    ) -> tuple[Handoff, dict[str, Any]]:
        text = text.strip()
        if not text or len(text) > 1000:
            raise HandoffError(422, "a reply is 1 to 1000 characters")
        with session_scope(self._sessions) as session:
            row = held_in(session, viewer, handoff_id)
            audit_in(session, viewer, "message", row.id)
            cancelled = held_crisis.cancel_in(session, handoff_id)
            message = self._add_message_in(
                session,
                handoff_id,
                "advocate",
                text,
                viewer.advocate_id,
                "queued" if row.channel == "sms" else "delivered",
            )
        for event in held_crisis.delivery_events(handoff_id, cancelled, "cancelled"):
            self.bus.publish(event)
        self.bus.publish(message_event(handoff_id, message))
        return row, message

    def retry_message(
        self, viewer: SignedIn, handoff_id: int, message_id: int
    ) -> tuple[Handoff, dict[str, Any]]:
        """A failed SMS sent again as the same message (services/delivery_states.py)."""
        with session_scope(self._sessions) as session:
            row = held_in(session, viewer, handoff_id)
            try:
                message = delivery_states.retry_in(session, row.id, message_id)
            except delivery_states.RetryRefusedError as exc:
                raise HandoffError(exc.status, exc.detail) from None
            audit_in(session, viewer, "retry", row.id)
            as_dict = self.views.message_dict(message)
        self.bus.publish(message_event(handoff_id, as_dict))
        return row, as_dict

    def system_message(self, handoff_id: int, text: str, channel: str) -> dict[str, Any]:
        return self._add_message(
            handoff_id, "system", text, None, "queued" if channel == "sms" else "delivered"
        )

    def contact_of(self, handoff_id: int) -> tuple[str, str | None, str]:
        """(channel, phone number or None, conversation id) for sending to the youth."""
        with session_scope(self._sessions) as session:
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise HandoffError(404, "no such conversation")
            contact = self._cipher.decrypt(row.contact_encrypted) if row.contact_encrypted else None
            return row.channel, contact, row.conversation_id

    # -- helpers ----------------------------------------------------------------------------

    def _add_message(
        self, handoff_id: int, sender: str, text: str, advocate_id: int | None, delivery: str | None
    ) -> dict[str, Any]:
        with session_scope(self._sessions) as session:
            as_dict = self._add_message_in(session, handoff_id, sender, text, advocate_id, delivery)
        self.bus.publish(message_event(handoff_id, as_dict))
        return as_dict

    def _add_message_in(
        self,
        session: Session,
        handoff_id: int,
        sender: str,
        text: str,
        advocate_id: int | None,
        delivery: str | None,
        due: datetime | None = None,
    ) -> dict[str, Any]:
        """`due`: when a held-back (standby) message leaves on its own; a queued one is due now."""
        now = datetime.now(UTC)
        message = HandoffMessage(
            handoff_id=handoff_id,
            sender=sender,
            advocate_id=advocate_id,
            body_encrypted=self._cipher.encrypt(text),
            created_at=now,
            delivery=delivery,
            attempts=0,
            next_attempt_at=due or (now if delivery == "queued" else None),
        )
        session.add(message)
        session.flush()
        return self.views.message_dict(message)

    @staticmethod
    def _active(session: Session, conversation_id: str) -> Handoff | None:
        return session.scalar(
            select(Handoff)
            .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(ACTIVE))
            .order_by(Handoff.id.desc())
            .limit(1)
        )


def message_event(handoff_id: int, message: dict[str, Any]) -> dict[str, Any]:
    """What the live stream says of a new message: its ids and who it is from, never its text
    (every signed-in console receives the stream; the text is fetched through the same role and
    claim checks as the conversation, `messages_after`)."""
    return {"type": "message", "handoff": handoff_id, "message_id": message["id"],
            "from": message["from"]}  # fmt: skip
