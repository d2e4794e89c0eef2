"""Messages the gateway sends later, through Twilio's REST API with the official client: an
advocate's replies and system notices ("a person has joined"), and the assistant's replies that
leave after the webhook answered (the part after a crisis text, a late answer, a recovered one).
They are written to the database first and sent by a worker, retried with backoff, and marked
failed (shown to the advocate) after the last try; so nothing is lost across a gateway restart.

The worker never sends to a number that opted out (STOP), nor for a handoff the person left:
such a message is cancelled instead, whatever put it in the queue. TWILIO_API_BASE_URL points
tests at a local fake.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resources.spelling import for_sms
from sms_gateway.config import Settings
from sms_gateway.db import session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import Contact, Handoff, HandoffMessage, LaterReply
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.delivery_states import failure_of
from sms_gateway.services.events import EventBus
from sms_gateway.services.twilio_copies import twilio_client

log = get_logger("outbound")
DELIVERED = {"delivered", "read"}
FAILED = {"failed", "undelivered"}


class OutboundSms:
    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        cipher: FieldCipher,
        bus: EventBus,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._cipher = cipher
        self._bus = bus
        self._client = twilio_client(settings)
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """Send now rather than at the next poll (an advocate wrote, a later reply is queued);
        safe from a worker thread (the console's routes run there)."""
        loop = self._loop
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if loop is not None and not on_loop:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self._wake.set)
            return
        self._wake.set()

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            try:
                await asyncio.to_thread(self.send_due)
            except Exception as exc:  # the loop must outlive any one failure
                log.error("outbound.loop_failed", error=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)
            self._wake.clear()

    def send_due(self) -> int:
        """Send what is due. No transaction stays open during a call to Twilio (a slow API must
        not hold the database): each message is taken (its next attempt moved on, so no other
        worker takes it too) after a last check that the person is still there, sent, and its
        result recorded, each step in its own short transaction."""
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            due: list[tuple[type[HandoffMessage] | type[LaterReply], int]] = [
                (HandoffMessage, i)
                for i in session.scalars(
                    select(HandoffMessage.id)
                    .where(
                        HandoffMessage.delivery == "queued", HandoffMessage.next_attempt_at <= now
                    )
                    .order_by(HandoffMessage.id)
                    .limit(20)
                )
            ]
            due += [
                (LaterReply, i)
                for i in session.scalars(
                    select(LaterReply.id)
                    .where(LaterReply.delivery == "queued", LaterReply.next_attempt_at <= now)
                    .order_by(LaterReply.id)
                    .limit(20)
                )
            ]
        sent = 0
        for kind, message_id in due:
            taken = self._take(kind, message_id)
            if taken is None:
                continue
            contact, body = taken
            outcome = self._call_twilio(contact, body)
            self._record(kind, message_id, outcome)
            sent += 1
        return sent

    def _take(
        self, kind: type[HandoffMessage] | type[LaterReply], message_id: int
    ) -> tuple[str, str] | None:
        """(number, text) of a message still queued for a person still there; else None (and
        it is cancelled when the person left or opted out)."""
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            message = _get(session, kind, message_id)
            if message is None or message.delivery != "queued":
                return None
            if isinstance(message, HandoffMessage):
                handoff = session.get(Handoff, message.handoff_id)
                encrypted = handoff.contact_encrypted if handoff is not None else None
                gone = handoff is None or handoff.status == "left"
                conversation_id = handoff.conversation_id if handoff is not None else ""
            else:
                encrypted, gone = message.contact_encrypted, False
                conversation_id = message.conversation_id
            contact = self._cipher.decrypt(encrypted) if encrypted else None
            if contact is None:
                self._give_up(message, "no_contact")
                return None
            if gone or _opted_out(session, conversation_id):
                message.delivery, message.next_attempt_at = "cancelled", None
                message.error = "person_left"
                self._publish(message)
                return None
            message.attempts += 1
            message.next_attempt_at = now + timedelta(seconds=60)  # taken: sent or rescheduled
            return contact, self._cipher.decrypt(message.body_encrypted) or ""

    def _call_twilio(self, contact: str, body: str) -> tuple[str | None, str | None]:
        """(provider sid, None) when Twilio took it, (None, error code) when it did not."""
        try:
            result = self._client.messages.create(
                to=contact,
                from_=self._settings.twilio_from_number,
                body=for_sms(body),
                status_callback=f"{self._settings.base_url}/sms/twilio/status",
            )
        except Exception as exc:
            return None, str(getattr(exc, "code", "") or type(exc).__name__)[:64]
        return str(result.sid), None

    def _record(
        self,
        kind: type[HandoffMessage] | type[LaterReply],
        message_id: int,
        outcome: tuple[str | None, str | None],
    ) -> None:
        sid, code = outcome
        with session_scope(self._sessions) as session:
            message = _get(session, kind, message_id)
            if message is None:
                return
            if sid is not None:
                message.provider_sid = sid
                message.delivery, message.error, message.next_attempt_at = "sent", None, None
                self._publish(message)
            elif message.attempts >= self._settings.outbound_max_attempts:
                self._give_up(message, code or "error")
            else:
                delay = self._settings.outbound_backoff_seconds * 2 ** (message.attempts - 1)
                message.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
                message.error = code
                log.warning("outbound.retry", attempt=message.attempts, code=code)

    def _give_up(self, message: HandoffMessage | LaterReply, code: str) -> None:
        message.delivery, message.error, message.next_attempt_at = "failed", code, None
        log.error("outbound.failed", attempt=message.attempts, code=code)
        self._publish(message)

    def on_status(self, provider_sid: str, status: str, error_code: str | None) -> None:
        """A Twilio delivery callback for a message we sent."""
        with session_scope(self._sessions) as session:
            message: HandoffMessage | LaterReply | None = session.scalar(
                select(HandoffMessage).where(HandoffMessage.provider_sid == provider_sid)
            ) or session.scalar(select(LaterReply).where(LaterReply.provider_sid == provider_sid))
            if message is None:
                return
            if status in DELIVERED:
                message.delivery = "delivered"
            elif status in FAILED:
                message.delivery, message.error = "failed", (error_code or status)[:64]
            else:
                return
            self._publish(message)

    def _publish(self, message: HandoffMessage | LaterReply) -> None:
        if not isinstance(message, HandoffMessage):
            return  # the assistant's replies are not part of a console's transcript
        self._bus.publish(
            {
                "type": "delivery",
                "handoff": message.handoff_id,
                "message_id": message.id,
                "delivery": message.delivery,
                **failure_of(message),
            }
        )


def _opted_out(session: Session, conversation_id: str) -> bool:
    contact = session.get(Contact, conversation_id)
    return bool(contact is not None and contact.opted_out)


def _get(
    session: Session, kind: type[HandoffMessage] | type[LaterReply], message_id: int
) -> HandoffMessage | LaterReply | None:
    if kind is HandoffMessage:
        return session.get(HandoffMessage, message_id)
    return session.get(LaterReply, message_id)
