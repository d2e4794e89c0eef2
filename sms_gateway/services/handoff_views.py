"""What the console reads of handoffs: the queue (urgent first, then longest waiting), one
conversation with its summary and transcript, and the messages after one the live stream
announced. Every read goes through the same role and claim checks (handoff_rules) and the
views are audited; texts and contacts are decrypted only here, for the advocate who may see
them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, session_scope
from sms_gateway.models import Advocate, Handoff, HandoffMessage
from sms_gateway.services import delivery_states, held_crisis
from sms_gateway.services.auth import SignedIn
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.handoff_rules import (
    ACTIVE,
    audit_in,
    can,
    mask_contact,
    person_left_notice,
    visible_in,
)


class HandoffViews:
    def __init__(self, sessions: sessionmaker[Session], cipher: FieldCipher) -> None:
        self._sessions = sessions
        self._cipher = cipher

    def queue(self, viewer: SignedIn) -> list[dict[str, Any]]:
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            audit_in(session, viewer, "view_queue", None)
            urgent_first = case((Handoff.urgency == "urgent", 0), else_=1)
            rows = session.scalars(
                select(Handoff)
                .where(Handoff.status.in_(ACTIVE))
                .order_by(urgent_first, Handoff.created_at)
            ).all()
            names = self._names(session)
            items = []
            for row in rows:
                if (
                    row.status == "claimed"
                    and row.claimed_by != viewer.advocate_id
                    and not can(viewer.role, "see_all_active")
                ):
                    continue
                summary = self.summary_of(row)
                items.append(
                    {
                        "id": row.id,
                        "urgency": row.urgency,
                        "reason": row.reason,
                        "channel": row.channel,
                        "status": row.status,
                        "waiting_seconds": int((now - aware(row.created_at)).total_seconds()),
                        "created_at": aware(row.created_at).isoformat(),
                        "claimed_by": names.get(row.claimed_by) if row.claimed_by else None,
                        # what they asked, in their words; never the reason again or a code
                        "summary_line": _line(summary.get("asked")),
                    }
                )
            return items

    def detail(self, viewer: SignedIn, handoff_id: int) -> dict[str, Any]:
        with session_scope(self._sessions) as session:
            row = visible_in(session, viewer, handoff_id)
            audit_in(session, viewer, "view_conversation", row.id)
            contact = self._cipher.decrypt(row.contact_encrypted) if row.contact_encrypted else None
            messages = session.scalars(
                select(HandoffMessage)
                .where(HandoffMessage.handoff_id == row.id)
                .order_by(HandoffMessage.id)
            ).all()
            return {
                "id": row.id,
                "urgency": row.urgency,
                "reason": row.reason,
                "status": row.status,
                "channel": row.channel,
                "conversation_id": row.conversation_id,
                "contact": mask_contact(contact, row.channel, can(viewer.role, "see_full_number")),
                "claimed_by": self._names(session).get(row.claimed_by) if row.claimed_by else None,
                "summary": self.summary_of(row),
                "transcript": [self.message_dict(m) for m in messages],
                "notice": person_left_notice() if row.status == "left" else None,
            }

    def messages_after(self, viewer: SignedIn, handoff_id: int, after: int) -> list[dict[str, Any]]:
        """The messages a live event announced (ids only go over the stream): through the
        same checks as the conversation itself."""
        with session_scope(self._sessions) as session:
            row = visible_in(session, viewer, handoff_id)
            messages = session.scalars(
                select(HandoffMessage)
                .where(HandoffMessage.handoff_id == row.id, HandoffMessage.id > after)
                .order_by(HandoffMessage.id)
                .limit(200)
            ).all()
            return [self.message_dict(m) for m in messages]

    def message_dict(self, m: HandoffMessage) -> dict[str, Any]:
        return {
            "id": m.id,
            "from": m.sender,
            "text": self._cipher.decrypt(m.body_encrypted) or "",
            "at": aware(m.created_at).isoformat(),
            "delivery": m.delivery,
            **held_crisis.due_of(m),
            **({"reason": m.error} if m.error else {}),
            **delivery_states.failure_of(m),
        }

    def summary_of(self, row: Handoff) -> dict[str, Any]:
        raw = self._cipher.decrypt(row.summary_encrypted)
        return dict(json.loads(raw)) if raw else {}

    @staticmethod
    def _names(session: Session) -> dict[int, str]:
        return dict(session.execute(select(Advocate.id, Advocate.username)).tuples().all())


def _line(value: Any) -> str:
    """One short line for the queue: a list of topics reads as "a, b"."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value or "")
