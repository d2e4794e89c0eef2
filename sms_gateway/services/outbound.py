"""Messages the gateway sends later (an advocate's replies, "a person has joined"), through
Twilio's REST API with the official client. They are written to the database first and sent by
a worker, retried with backoff, and marked failed (shown to the advocate) after the last try;
so nothing is lost across a gateway restart. TWILIO_API_BASE_URL points tests at a local fake.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from sms_gateway.config import Settings
from sms_gateway.db import session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import Handoff, HandoffMessage
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.events import EventBus

log = get_logger("outbound")
TWILIO_API = "https://api.twilio.com"
DELIVERED = {"delivered", "read"}
FAILED = {"failed", "undelivered"}


class _BaseUrlHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """The official client's HTTP layer, sending to another base URL (a local fake in tests)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self._base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self._base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


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
        http = (
            _BaseUrlHttpClient(settings.twilio_api_base_url)
            if settings.twilio_api_base_url
            else TwilioHttpClient(timeout=10)
        )
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=http
        )
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Send now rather than at the next poll (called when an advocate writes)."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.send_due)
            except Exception as exc:  # the loop must outlive any one failure
                log.error("outbound.loop_failed", error=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)
            self._wake.clear()

    def send_due(self) -> int:
        now = datetime.now(UTC)
        sent = 0
        with session_scope(self._sessions) as session:
            due = session.scalars(
                select(HandoffMessage)
                .where(HandoffMessage.delivery == "queued", HandoffMessage.next_attempt_at <= now)
                .order_by(HandoffMessage.id)
                .limit(20)
            ).all()
            for message in due:
                handoff = session.get(Handoff, message.handoff_id)
                contact = (
                    self._cipher.decrypt(handoff.contact_encrypted)
                    if handoff is not None and handoff.contact_encrypted
                    else None
                )
                if contact is None:
                    self._give_up(message, "no_contact")
                    continue
                self._try_send(message, contact)
                sent += 1
        return sent

    def _try_send(self, message: HandoffMessage, contact: str) -> None:
        message.attempts += 1
        try:
            result = self._client.messages.create(
                to=contact,
                from_=self._settings.twilio_from_number,
                body=self._cipher.decrypt(message.body_encrypted) or "",
                status_callback=f"{self._settings.base_url}/sms/twilio/status",
            )
        except Exception as exc:
            code = str(getattr(exc, "code", "") or type(exc).__name__)[:64]
            if message.attempts >= self._settings.outbound_max_attempts:
                self._give_up(message, code)
            else:
                delay = self._settings.outbound_backoff_seconds * 2 ** (message.attempts - 1)
                message.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
                message.error = code
                log.warning("outbound.retry", attempt=message.attempts, code=code)
            return
        message.provider_sid = str(result.sid)
        message.delivery, message.error, message.next_attempt_at = "sent", None, None
        self._publish(message)

    def _give_up(self, message: HandoffMessage, code: str) -> None:
        message.delivery, message.error, message.next_attempt_at = "failed", code, None
        log.error("outbound.failed", attempt=message.attempts, code=code)
        self._publish(message)

    def on_status(self, provider_sid: str, status: str, error_code: str | None) -> None:
        """A Twilio delivery callback for a message we sent."""
        with session_scope(self._sessions) as session:
            message = session.scalar(
                select(HandoffMessage).where(HandoffMessage.provider_sid == provider_sid)
            )
            if message is None:
                return
            if status in DELIVERED:
                message.delivery = "delivered"
            elif status in FAILED:
                message.delivery, message.error = "failed", (error_code or status)[:64]
            else:
                return
            self._publish(message)

    def _publish(self, message: HandoffMessage) -> None:
        self._bus.publish(
            {
                "type": "delivery",
                "handoff": message.handoff_id,
                "message_id": message.id,
                "delivery": message.delivery,
            }
        )
