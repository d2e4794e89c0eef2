"""The queue of SMS that leave after the webhook answered (the outbound worker sends them): put
in, in order, or cancelled when the person left. Plain functions on the caller's session, so
they join its transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from sms_gateway.models import LaterReply
from sms_gateway.services.crypto import FieldCipher


def cancel_later_replies(session: Session, conversation_id: str) -> int:
    """Nothing still queued for this person leaves (they left)."""
    result = session.execute(
        update(LaterReply)
        .where(LaterReply.conversation_id == conversation_id, LaterReply.delivery == "queued")
        .values(delivery="cancelled", next_attempt_at=None, error="person_left")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def queue_later_sms(
    session: Session, cipher: FieldCipher, conversation_id: str, contact: str, texts: list[str]
) -> None:
    """SMS that leave after the webhook answered, in order, through the outbound worker."""
    now = datetime.now(UTC)
    for text in texts:
        session.add(
            LaterReply(
                conversation_id=conversation_id,
                contact_encrypted=cipher.encrypt(contact),
                body_encrypted=cipher.encrypt(text),
                created_at=now,
                delivery="queued",
                attempts=0,
                next_attempt_at=now,
            )
        )
