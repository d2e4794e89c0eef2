"""The SMS channel: how a Twilio message finds its conversation, what a reply looks like on a
phone, and how a message that comes later reaches it (the outbound worker, Twilio's REST API).

The order of steps is the pipeline's (services/pipeline.py), the same for every channel. What is
SMS's own: a conversation is the HMAC pseudonym of the number (Rasa never sees the number);
STOP/START/HELP and EXIT apply; replies are short texts with numbered choices, and "2" means the
second choice last offered; a number that sent STOP (or EXIT since) gets nothing later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from resources.replies import render
from sms_gateway.config import Settings
from sms_gateway.db import aware, upsert
from sms_gateway.models import Contact, InboundMessage
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.channel import Inbound
from sms_gateway.services.conversation_store import ConversationStore
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.keywords import Keyword
from sms_gateway.services.language import clear_language, guess_language
from sms_gateway.services.later_replies import queue_later_sms
from sms_gateway.services.outbound import OutboundSms
from sms_gateway.services.pipeline import ConversationPipeline
from sms_gateway.services.pseudonyms import pseudonymous_id
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.safety_net import CrisisDetector
from sms_gateway.services.sms_format import format_for_sms
from sms_gateway.services.turn_state import AfterCommit, Opened

REMEMBER_AGAIN = timedelta(days=1)
_CONTACTS = Contact.__table__
_CONTACT = select(_CONTACTS.c.opted_out, _CONTACTS.c.language, _CONTACTS.c.updated_at).where(
    _CONTACTS.c.conversation_id == bindparam("c")
)


@dataclass(frozen=True)
class InboundSms:
    message_sid: str
    sender: str
    body: str
    num_media: int = 0


class SmsChannel:
    name = "sms"
    keywords = frozenset(Keyword)

    def __init__(self, settings: Settings, cipher: FieldCipher, outbound: OutboundSms) -> None:
        self._secret = settings.pseudonym_secret
        self._cipher = cipher
        self._outbound = outbound

    def conversation_of(self, number: str) -> str:
        return pseudonymous_id("sms", number, self._secret)

    def locate(self, session: Session, key: str, text: str) -> tuple[str, str, bool]:
        """One read of the number's state. A clear language is remembered (and forgotten by
        retention after RETENTION_DAYS)."""
        conversation_id = self.conversation_of(key)
        row = session.execute(_CONTACT, {"c": conversation_id}).first()
        clear = clear_language(text)
        now = datetime.now(UTC)
        # Written when it changes, or a day on (retention forgets a language RETENTION_DAYS
        # after the last clear message): most messages only read the row.
        if clear is not None and (
            row is None or row.language != clear or now - aware(row.updated_at) > REMEMBER_AGAIN
        ):
            values = {"conversation_id": conversation_id, "opted_out": False,
                      "language": clear, "updated_at": now}  # fmt: skip
            upsert(session, Contact, values, ["language", "updated_at"])
        language = clear or (row.language if row is not None else None) or "en"
        return conversation_id, language, bool(row is not None and row.opted_out)

    def external_id(self, conversation_id: str, client_id: str) -> str:
        return client_id  # Twilio's MessageSid

    def set_opt_out(self, session: Session, conversation_id: str, opted_out: bool) -> bool:
        contact = session.get(Contact, conversation_id)
        if contact is None:
            contact = Contact(conversation_id=conversation_id, opted_out=False)
            session.add(contact)
        before = bool(contact.opted_out)
        contact.opted_out = opted_out
        contact.updated_at = datetime.now(UTC)
        return before

    def may_send_later(self, session: Session, opened: Opened) -> bool:
        """Not to a number that opted out, nor after an EXIT or STOP sent since."""
        contact = session.get(Contact, opened.conversation_id)
        if contact is not None and contact.opted_out:
            return False
        left = session.scalar(
            select(InboundMessage.id)
            .where(
                InboundMessage.conversation_id == opened.conversation_id,
                InboundMessage.status == "silenced",
                InboundMessage.id > (opened.inbound_id or 0),
            )
            .limit(1)
        )
        return left is None

    def present(self, messages: list[BotMessage]) -> tuple[list[Any], list[str] | None]:
        reply = format_for_sms(messages)
        texts = list(dict.fromkeys(reply.texts))  # never the same text twice in one reply
        return texts, reply.choices

    def later(
        self, session: Session, conversation_id: str, contact: str | None, reply: list[Any]
    ) -> AfterCommit | None:
        if not contact or not reply:
            return None
        queue_later_sms(session, self._cipher, conversation_id, contact, [str(t) for t in reply])
        return self._outbound.wake


class SmsConversationService:
    """What the webhook calls: one SMS in, the texts of the TwiML reply out."""

    def __init__(
        self,
        channel: SmsChannel,
        pipeline: ConversationPipeline,
        store: ConversationStore,
        detector: CrisisDetector,
        db: Offloader,
    ) -> None:
        self.channel = channel
        self._pipeline = pipeline
        self._store = store
        self._detector = detector
        self._db = db

    async def handle(self, sms: InboundSms) -> list[str]:
        reply = await self._pipeline.handle(
            self.channel,
            Inbound(
                key=sms.sender,
                client_id=sms.message_sid,
                body=sms.body,
                text=sms.body,
                contact=sms.sender,
            ),
        )
        return [str(t) for t in reply]

    async def limited(self, sms: InboundSms, tell: bool) -> list[str]:
        """A number over its rate limit: crisis words are still answered as always (danger
        first); anything else is stored, and gets one kind "too many messages" answer per
        window (`tell`), then nothing until the window passes."""
        if self._detector.detect(sms.body) is not None:
            return await self.handle(sms)
        language = guess_language(sms.body)
        reply = [render("too_many_messages", "sms", language)] if tell else []
        stored = await self._db.run(
            self._store.record_limited,
            self.channel,
            sms.sender,
            sms.message_sid,
            sms.body,
            sms.sender,
            reply,
        )
        return [str(t) for t in stored]

    async def recover(self, window_minutes: int) -> int:
        return await self._pipeline.recover(self.channel, window_minutes)
