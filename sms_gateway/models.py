"""Tables of the gateway database.

Message bodies and replies are stored encrypted (Fernet) and only for the retention period:
they are kept so that a replayed Twilio request gets the same answer and so that a message
that could not be answered by the assistant is never lost for the advocates.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class InboundMessage(Base):
    """One message that reached the gateway, keyed by the channel's own id (Twilio MessageSid)."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # received -> answered | fallback | silenced
    status: Mapped[str] = mapped_column(String(16))
    safety_flags: Mapped[str] = mapped_column(String(64), default="")
    body_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    reply_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The sender's number (SMS), encrypted: lets an advocate reach out to a recent conversation
    # that did not ask (services/recent.py); deleted with the message after RETENTION_DAYS.
    contact_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # Until when the process that stored it is answering it: a message still "received" after
    # this was left unanswered by a gateway that died, and is answered after restart (once:
    # taking it over moves the lease, and only one process can move it).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("ix_inbound_received_at", "received_at"),
        Index("ix_inbound_status", "status"),
    )


class Contact(Base):
    """Per-number state the carrier rules need (STOP/START), keyed by pseudonym only."""

    __tablename__ = "contacts"

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The last language the person clearly wrote in ("en"/"es"), so "2" or "reno" is answered
    # in that language too.
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)


def message_id_hash(external_id: str) -> str:
    """What is kept of a purged message's id (MessageSid, or the page's id): its SHA-256."""
    return hashlib.sha256(external_id.encode("utf-8")).hexdigest()


class SeenMessage(Base):
    """A purged message's id, hashed: the text and the row are gone, but a replay of the old
    signed request (Twilio's signatures never expire) is still refused. Nothing else is kept."""

    __tablename__ = "seen_messages"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class DeliveryStatus(Base):
    """Twilio delivery callbacks for messages the gateway sent, by MessageSid."""

    __tablename__ = "delivery_statuses"

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(24))
    error_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OfferedChoices(Base):
    """The numbered choices last offered to a conversation, so that a reply of "2" means the
    second one. Payloads are assistant intents, never anything the person wrote."""

    __tablename__ = "offered_choices"

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payloads: Mapped[str] = mapped_column(String(2000))
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebConversation(Base):
    """A live web chat. The page holds the token in memory only; the server keeps its hash and
    forgets the row after a short idle time or at once on quick exit."""

    __tablename__ = "web_conversations"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)  # as Contact.language


class Advocate(Base):
    """A trained person who picks up escalated conversations (argon2id hash, TOTP second factor)."""

    __tablename__ = "advocates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    totp_secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    role: Mapped[str] = mapped_column(String(16))  # advocate | supervisor
    on_shift: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The 30-second TOTP step of the last code accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Set by `python -m sms_gateway.admin disable-advocate`: no sign-in, every session ended.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The name shown to the people an advocate writes to on the web ("Ana, advocate"); their
    # choice, never their username (set in the console).
    shown_name: Mapped[str | None] = mapped_column(String(40), nullable=True)


class AdvocateSession(Base):
    """A server-side console session; the cookie holds only a random token (hashed here)."""

    __tablename__ = "advocate_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    advocate_id: Mapped[int] = mapped_column(Integer, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Handoff(Base):
    """A conversation escalated to a person: queued, claimed by one advocate, then handed back
    or closed. The contact (phone number) is kept encrypted, only to send the advocate's replies."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    urgency: Mapped[str] = mapped_column(String(8))  # urgent | normal
    reason: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued|claimed|returned|closed
    claimed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    summary_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    contact_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class HandoffMessage(Base):
    """One message of a handoff, either way; outbound ones carry their delivery state and the
    retry schedule, so nothing is lost across a gateway restart."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(Integer, index=True)
    sender: Mapped[str] = mapped_column(String(12))  # youth | advocate | system
    advocate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivery: Mapped[str | None] = mapped_column(String(12), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    error: Mapped[str | None] = mapped_column(String(64), nullable=True)


class LaterReply(Base):
    """An assistant's SMS that leaves after the webhook has answered: the assistant's part of a
    reply whose crisis text went at once, a late answer, or the answer to a message recovered
    after a restart. Sent by the outbound worker like an advocate's reply, never to a number
    that opted out, and cancelled when the person leaves (EXIT, STOP)."""

    __tablename__ = "later_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    contact_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    body_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    delivery: Mapped[str] = mapped_column(String(12))  # queued|sent|delivered|failed|cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    error: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditEvent(Base):
    """Who viewed, claimed or wrote what, and when (never the message text)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    advocate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    handoff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(String(128), default="")


class SafetyPlan(Base):
    """A plan a youth thought through with the helper, one question at a time (issue 12).

    Kept only on the server, and only when the youth said yes: the answers are one Fernet
    token; without consent only the step in progress is kept (no answer). Deleted at
    `expires_at` (PLAN_TTL_HOURS after it started), on "delete my plan", EXIT, STOP, quick
    exit and DELETE. Never sent back by SMS (the device rule, 001 L3403-3410)."""

    __tablename__ = "safety_plans"

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8), default="en")
    # The question waiting for an answer ("offer", "keep" or a step of planning.yml), if any.
    step: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # Where "go on" picks up after a pause (a stop, a question of theirs, a crisis).
    resume: Mapped[str | None] = mapped_column(String(16), nullable=True)
    keep: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    answers_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
