"""What was said before a handoff opened, for its transcript (issue 11): an advocate who picks up
a conversation reads it from the start, the places and numbers the assistant gave included,
not from "talk to a person" on. The same reading serves an escalation (the person asked, the
safety net, two misunderstandings) and an advocate's reach-out from the recent list."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sms_gateway.db import aware
from sms_gateway.models import InboundMessage
from sms_gateway.services.crypto import FieldCipher

HISTORY = 10  # earlier messages (each with its reply) copied into a new handoff's transcript

Said = tuple[str, str, datetime]  # (sender, text, when)


def reply_texts(stored: str | None) -> list[str]:
    """The texts of a stored reply: SMS keeps a list of strings, web chat a list of messages."""
    if not stored:
        return []
    try:
        reply = json.loads(stored)
    except ValueError:
        return []
    texts = []
    for item in reply if isinstance(reply, list) else []:
        text = item.get("text") if isinstance(item, dict) else item
        if isinstance(text, str) and text:
            texts.append(text)
    return texts


def said_in(cipher: FieldCipher, messages: list[InboundMessage]) -> list[Said]:
    """(sender, text, when) for these messages (newest first, as queried) and their replies,
    oldest first."""
    out: list[Said] = []
    for message in reversed(messages):
        at = aware(message.received_at)
        out.append(("youth", cipher.decrypt(message.body_encrypted) or "", at))
        if message.reply_encrypted is None:
            continue
        replied = aware(message.replied_at) if message.replied_at else at
        for text in reply_texts(cipher.decrypt(message.reply_encrypted)):
            out.append(("bot", text, replied))
    return out


def before_in(
    session: Session,
    cipher: FieldCipher,
    conversation_id: str,
    before_id: int | None,
    limit: int = HISTORY,
) -> list[Said]:
    """The conversation's messages before `before_id` (the one being answered now, which the
    turn records itself), with their replies, oldest first."""
    query = select(InboundMessage).where(InboundMessage.conversation_id == conversation_id)
    if before_id is not None:
        query = query.where(InboundMessage.id < before_id)
    rows = list(session.scalars(query.order_by(InboundMessage.id.desc()).limit(limit)))
    return said_in(cipher, rows)
