"""Every message that reaches the gateway is written down (encrypted) before anything else, keyed
by the channel's own id, so it is never lost and a replay gets the same answer (non-negotiable 6).
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import session_scope
from sms_gateway.models import InboundMessage
from sms_gateway.services.crypto import FieldCipher

IN_FLIGHT = object()  # returned by claim() when the first delivery never finished in time


class MessageLog:
    def __init__(
        self, sessions: sessionmaker[Session], cipher: FieldCipher, wait_seconds: float
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._wait = wait_seconds

    async def claim(
        self,
        channel: str,
        external_id: str,
        conversation_id: str,
        body: str,
        contact: str | None = None,
    ) -> Any:
        """Store a new message and return None; for an id seen before, return its earlier reply
        (waiting for it while the first delivery is still being answered), or IN_FLIGHT."""
        try:
            with session_scope(self._sessions) as session:
                session.add(
                    InboundMessage(
                        channel=channel,
                        external_id=external_id,
                        conversation_id=conversation_id,
                        received_at=datetime.now(UTC),
                        status="received",
                        body_encrypted=self._cipher.encrypt(body),
                        contact_encrypted=self._cipher.encrypt(contact) if contact else None,
                    )
                )
            return None
        except IntegrityError:
            pass
        deadline = time.monotonic() + self._wait
        while True:
            with session_scope(self._sessions) as session:
                row = session.scalar(
                    select(InboundMessage).where(InboundMessage.external_id == external_id)
                )
                if row is not None and row.reply_encrypted is not None:
                    stored = self._cipher.decrypt(row.reply_encrypted)
                    return json.loads(stored) if stored else IN_FLIGHT
            if time.monotonic() > deadline:
                return IN_FLIGHT
            await asyncio.sleep(0.2)

    def finish(self, external_id: str, reply: Any, status: str, flags: str) -> None:
        with session_scope(self._sessions) as session:
            row = session.scalar(
                select(InboundMessage).where(InboundMessage.external_id == external_id)
            )
            if row is None:
                return
            row.status = status
            row.safety_flags = flags
            row.reply_encrypted = self._cipher.encrypt(json.dumps(reply))
            row.replied_at = datetime.now(UTC)
