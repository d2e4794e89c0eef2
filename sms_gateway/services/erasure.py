"""DELETE: everything kept of one person's conversation, erased from every store after one
confirmation (a youth may need to know that nothing about them is left anywhere).

What goes, in one transaction: their messages and our replies, replies waiting to leave, the
offered choices, a plan they thought through, every handoff of theirs with its transcript
(open ones end first, so the consoles show that the person left), the remembered language.
A STOP stays (carriers require it; it holds only the pseudonym). Then Rasa's tracker events
(after any turn in flight), and Twilio's copies both ways, asked twice: at once, and again a
minute and a half later for the last reply, which Twilio only has once it is sent.

What stays: an audit record with counts and no identifying data, and each erased message's id,
hashed, so a replay of an old signed request is refused (as after the retention purge).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import durable, session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import (
    AuditEvent,
    Contact,
    Handoff,
    HandoffMessage,
    InboundMessage,
    LaterReply,
    OfferedChoices,
    message_id_hash,
)
from sms_gateway.retention import keep_hashes
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.conversation_store import ConversationStore
from sms_gateway.services.plan_store import delete_plan_in
from sms_gateway.services.twilio_copies import TwilioCopies

log = get_logger("erasure")
# The pending confirmation, kept as the conversation's offered choice (so it lapses like one,
# and any other answer replaces it).
ERASE = "/erase_my_data"
SECOND_SWEEP_SECONDS = 90.0


class Erasure:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: ConversationStore,
        db: Offloader,
        copies: TwilioCopies | None,
    ) -> None:
        self._sessions = sessions
        self._store = store
        self._db = db
        self._copies = copies
        self._tasks: set[asyncio.Task[None]] = set()

    async def erase(
        self,
        conversation_id: str,
        contact: str | None,
        forget: Callable[[str, str], Awaitable[None]],
        channel: str,
    ) -> dict[str, int]:
        """Erase everything of this conversation; ``forget`` resets and erases the assistant's
        copy (the pipeline's restart). Returns how many rows of each kind went."""
        counts, ended = await self._db.run(self._erase_rows, conversation_id)
        self._store.left_events(ended)
        await forget(conversation_id, channel)
        if self._copies is not None and contact:
            copies = await asyncio.to_thread(self._copies.delete_with, contact)
            counts.update(copies.as_dict())
            task = asyncio.create_task(self._sweep_again(contact))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        log.info("person.erased", count=sum(counts.values()))
        return counts

    def _erase_rows(self, conversation_id: str) -> tuple[dict[str, int], list[int]]:
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            durable(session)
            plans = delete_plan_in(session, conversation_id)
            ended = self._store.end_everything_in(session, conversation_id)
            ids = session.scalars(
                select(InboundMessage.external_id).where(
                    InboundMessage.conversation_id == conversation_id
                )
            ).all()
            keep_hashes(session, [message_id_hash(i) for i in ids], now)
            handoffs = select(Handoff.id).where(Handoff.conversation_id == conversation_id)
            statements = {
                "messages": delete(InboundMessage).where(
                    InboundMessage.conversation_id == conversation_id
                ),
                "later_replies": delete(LaterReply).where(
                    LaterReply.conversation_id == conversation_id
                ),
                "choices": delete(OfferedChoices).where(
                    OfferedChoices.conversation_id == conversation_id
                ),
                "handoff_messages": delete(HandoffMessage).where(
                    HandoffMessage.handoff_id.in_(handoffs)
                ),
                "handoffs": delete(Handoff).where(Handoff.conversation_id == conversation_id),
                "contact": delete(Contact).where(
                    Contact.conversation_id == conversation_id, Contact.opted_out.is_(False)
                ),
            }
            counts = {name: _rows(session.execute(st)) for name, st in statements.items()}
            counts["plans"] = plans
            detail = " ".join(f"{k}={v}" for k, v in counts.items())
            session.add(AuditEvent(at=now, action="person_erased", detail=detail[:128]))
        return counts, ended

    async def _sweep_again(self, contact: str) -> None:
        await asyncio.sleep(SECOND_SWEEP_SECONDS)
        if self._copies is not None:
            try:
                await asyncio.to_thread(self._copies.delete_with, contact)
            except Exception as exc:  # the retention purge reaches it after RETENTION_DAYS
                log.warning("twilio.second_sweep_failed", error=type(exc).__name__)


def _rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
