"""The last step of every turn (services/pipeline.py): the reply is stored with what it
implies (choices, escalation, transcript, later replies) in one transaction, then sent; a
replay gets the first delivery's answer. Kept apart so the pipeline module holds the order of
steps and this one what "done" means for a turn."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sms_gateway.logging_setup import get_logger
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.channel import Channel, Inbound
from sms_gateway.services.conversation_store import ConversationStore
from sms_gateway.services.keywords import Keyword
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.safety_net import CrisisSignal
from sms_gateway.services.turn_state import AfterCommit, Opened
from sms_gateway.services.turns import Turn

log = get_logger("pipeline")
STORE_RETRY_SECONDS = 300.0  # a message is stored however long the database stays locked
REPLAY_POLL_SECONDS = 0.2


@dataclass
class PendingTurn:
    inbound: Inbound
    text: str
    keyword: Keyword | None
    signal: CrisisSignal | None
    quick: list[BotMessage]
    ready: asyncio.Future[list[Any]]
    started: float = field(default_factory=time.monotonic)
    early: bool = False  # the request was answered with `quick` already
    recovered: bool = False  # nobody waits: every reply goes the later way (after a restart)
    synced: asyncio.Future[None] | None = None  # the message is on disk

    @property
    def flags(self) -> str:
        return ",".join(self.signal.categories) if self.signal else ""


class ReplyDelivery:
    """Storing and sending a turn's reply; the pipeline (a subclass) sets these."""

    _store: ConversationStore
    _db: Offloader
    _urgent_db: Offloader
    _deadline: float

    @staticmethod
    def _reply(turn: PendingTurn, reply: list[Any]) -> None:
        if not turn.ready.done():
            turn.ready.set_result(reply)

    async def _done(
        self,
        channel: Channel,
        turn: PendingTurn,
        o: Opened,
        reply: list[Any],
        status: str,
        flags: str,
        *,
        said: Turn | None = None,
        choices: list[str] | None = None,
        opt_out: bool | None = None,
        text: str | None = None,
        keep_as: list[Any] | None = None,
    ) -> None:
        """Store the reply with what it implies, then send it (`text`: what a handoff's
        transcript records for the message, when not its words; `keep_as`: what is stored
        of a reply that must not be kept as sent, such as a plan shown on the web page).
        If the request got the quick answer before that (the deadline passed), the quick
        answer is what is stored, and the reply follows on its own when it differs."""
        later = None
        if turn.recovered:
            later = later_path(channel, o, turn.inbound.contact, reply) if reply else None
        elif turn.early or (turn.ready.done() and turn.ready.result() != reply):
            reply, status, choices = channel.present(turn.quick)[0], "fallback", None
        await self._finish(
            channel,
            o,
            reply if keep_as is None else keep_as,
            status,
            flags,
            text=turn.text if text is None else text,
            said=said,
            choices=choices,
            opt_out=opt_out,
            later=later,
            urgent=turn.signal is not None,
        )
        if turn.early and not turn.recovered and status != "fallback":
            # The deadline passed while the reply was being stored: the person got the quick
            # answer; record that, and send the reply after it (unless it says the same).
            quick = channel.present(turn.quick)[0]
            await self._finish(
                channel,
                o,
                quick,
                "fallback",
                flags,
                later=later_path(channel, o, turn.inbound.contact, reply)
                if reply != quick
                else None,
            )
            status = "fallback"
        self._reply(turn, reply)
        log.info(
            f"{channel.name}.answered",
            conversation=o.conversation_id[:16],
            status=status,
            categories=flags,
            messages=len(reply),
            duration_ms=round((time.monotonic() - turn.started) * 1000),
        )

    async def _finish(
        self,
        channel: Channel,
        o: Opened,
        reply: list[Any] | None,
        status: str,
        flags: str,
        *,
        text: str = "",
        said: Turn | None = None,
        record_youth: bool = True,
        choices: list[str] | None = None,
        later: Callable[[Session], AfterCommit | None] | None = None,
        opt_out: bool | None = None,
        urgent: bool = False,
    ) -> None:
        db = self._urgent_db if urgent else self._db
        after = await db.run_stubbornly(  # a locked database: the answer is kept
            STORE_RETRY_SECONDS, self._store.finish, channel, o, reply, status, flags,
            text=text, turn=said, record_youth=record_youth, choices=choices, later=later,
            opt_out=opt_out,
        )  # fmt: skip
        run_all(after)

    async def _previous(self, channel: Channel, turn: PendingTurn, o: Opened) -> list[Any]:
        """The first delivery's answer (waiting for it while it is being answered)."""
        while time.monotonic() - turn.started < self._deadline:
            previous = await self._db.run(self._store.previous_reply, o.external_id)
            if previous is not None:
                return previous
            await asyncio.sleep(REPLAY_POLL_SECONDS)
        return channel.present(turn.quick)[0]


def chosen_payload(choices: list[str], text: str) -> str | None:
    """The payload a numbered reply ("2") stands for, when one was offered."""
    if not re.fullmatch(r"[1-9]", text):
        return None
    index = int(text) - 1
    return choices[index] if index < len(choices) else None


def later_path(
    channel: Channel, o: Opened, contact: str | None, reply: list[Any]
) -> Callable[[Session], AfterCommit | None]:
    def queue(session: Session) -> AfterCommit | None:
        return channel.later(session, o.conversation_id, contact, reply)

    return queue


def run_all(actions: list[AfterCommit]) -> None:
    for action in actions:
        try:
            action()
        except Exception as exc:  # a live update must never undo a stored answer
            log.error("pipeline.publish_failed", error=type(exc).__name__)
