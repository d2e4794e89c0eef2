"""Crisis words while an advocate holds the conversation (issue 11).

The advocate is the one talking: the assistant must not talk over them with "If you are in
danger now, call 911", which reads as if nobody were there. So the safety net's reply is not
sent; it is kept with the handoff as a *standby* message, shown to the advocate as the suggested
reply, with the time it will leave on its own. Any message the advocate sends cancels it; if
they have not written by then (HELD_CRISIS_SECONDS, default 60 s), it goes to the person as
the safety net's reply, so crisis words are never left without an answer because a console was
unattended. A person who left (EXIT, STOP, quick exit) is sent nothing.

The standby is a row in `handoff_messages` (sender `safety_net`, delivery `standby`, due at
`next_attempt_at`), written in the same transaction as the youth's message: a gateway restart
loses neither, and the worker here picks up whatever fell due while it was down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import Handoff, HandoffMessage
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.events import EventBus

log = get_logger("held_crisis")
SAFETY_NET = "safety_net"  # the sender of a standby reply
STANDBY = "standby"
ANSWERED = "advocate_answered"  # why a standby was cancelled
POLL_SECONDS = 1.0


def cancel_in(session: Session, handoff_id: int, reason: str = ANSWERED) -> list[int]:
    """The advocate answered (or the person left): this handoff's standby replies stay unsent.
    Returns their ids, for the consoles' delivery events."""
    rows = session.scalars(
        select(HandoffMessage).where(
            HandoffMessage.handoff_id == handoff_id, HandoffMessage.delivery == STANDBY
        )
    ).all()
    for row in rows:
        row.delivery, row.next_attempt_at, row.error = "cancelled", None, reason
    return [row.id for row in rows]


def due_of(message: HandoffMessage) -> dict[str, str]:
    """{"due": when it leaves} for a standby reply (the console counts down to it), else {}."""
    if message.delivery != STANDBY or message.next_attempt_at is None:
        return {}
    return {"due": aware(message.next_attempt_at).isoformat()}


def delivery_events(
    handoff_id: int, ids: list[int], delivery: str, reason: str = ANSWERED
) -> list[dict[str, Any]]:
    """The consoles' {"type": "delivery"} events for these messages (`reason`: why not sent)."""
    shown = {"reason": reason} if reason else {}
    return [
        {"type": "delivery", "handoff": handoff_id, "message_id": i, "delivery": delivery, **shown}
        for i in ids
    ]


class StandbyWorker:
    """Sends the standby replies that fell due: SMS through the outbound worker's queue (which
    still refuses a number that opted out or a person who left), web pushed to the page."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: FieldCipher,
        bus: EventBus,
        wake_sms: Callable[[], None],
        push_web: Callable[[str, str], object],
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._bus = bus
        self._wake_sms = wake_sms
        self._push_web = push_web

    async def run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.release_due)
            except Exception as exc:  # the loop must outlive any one failure
                log.error("held_crisis.loop_failed", error=type(exc).__name__)
            await asyncio.sleep(POLL_SECONDS)

    def release_due(self, now: datetime | None = None) -> int:
        """Release every standby reply past its time; returns how many went out."""
        now = now or datetime.now(UTC)
        events: list[dict[str, Any]] = []
        web: list[tuple[str, str]] = []
        sms = 0
        with session_scope(self._sessions) as session:
            due = session.scalars(
                select(HandoffMessage)
                .where(HandoffMessage.delivery == STANDBY, HandoffMessage.next_attempt_at <= now)
                .order_by(HandoffMessage.id)
                .limit(50)
            ).all()
            for message in due:
                handoff = session.get(Handoff, message.handoff_id)
                if handoff is None or handoff.status == "left":
                    message.delivery, message.next_attempt_at = "cancelled", None
                    message.error = "person_left"
                elif handoff.channel == "sms":
                    message.delivery, message.next_attempt_at = "queued", now
                    sms += 1
                else:
                    message.delivery, message.next_attempt_at = "delivered", None
                    text = self._cipher.decrypt(message.body_encrypted) or ""
                    web.append((handoff.conversation_id, text))
                events += delivery_events(
                    message.handoff_id, [message.id], message.delivery or "", message.error or ""
                )
                log.info("held_crisis.released", delivery=message.delivery)
        for conversation_id, text in web:
            self._push_web(conversation_id, text)
        if sms:
            self._wake_sms()
        for event in events:
            self._bus.publish(event)
        return sms + len(web)
