"""One conversation pipeline for every channel (SMS, web chat, any later one): the order of
steps and the deadline budget of a message, from the moment it reaches the gateway.

1. What must go out if everything else is late is known first, without the database or the
   assistant: nothing for EXIT or STOP, the crisis text when the safety net fires, else the safe
   reply. The webhook never waits past its budget for more: the crisis budget (about a second,
   only for storing the message) when crisis words were seen, else the reply deadline
   (RASA_TIMEOUT_SECONDS, well inside Twilio's 15 s).
2. The message is stored before anything is answered (`ConversationStore.open_turn`).
3. Carrier keywords and the exit keyword are handled here, never by the assistant; EXIT, STOP
   and quick exit end every handoff of the person at once.
   A plan being thought through (services/planner.py) is answered here too, never by the
   assistant: its answers stay in the gateway, encrypted, and are never sent back by SMS.
4. Crisis words: the crisis reply leaves at once (in the TwiML, or the web answer), and the
   urgent handoff is raised; the assistant's part follows when it is ready, through the
   channel's later path (the outbound worker for SMS, the live stream for the web).
5. Otherwise the assistant is asked through its gate (backpressure: shed at once when full).
   An answer within the deadline goes in the reply; past it the safe reply goes, and the late
   answer is sent afterwards if it comes within LATE_ANSWER_SECONDS and the person has neither
   left nor been taken over by an advocate (they asked, and the assistant's state already moved
   on with that answer); else it is dropped.

A conversation's turns reach the assistant one at a time and in order (a per-conversation
lock), so a late answer is never overtaken by the answer to the next message. Each channel's
delivery sits behind `Channel`; all database work runs on the database threads.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from resources.replies import render
from sms_gateway.config import Settings
from sms_gateway.logging_setup import get_logger
from sms_gateway.services.assistant import Assistant, ShedError
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.channel import Channel, Inbound
from sms_gateway.services.conversation_locks import ConversationLocks
from sms_gateway.services.conversation_store import ConversationStore
from sms_gateway.services.erasure import ERASE, Erasure
from sms_gateway.services.first_reply import pending_turn, turn_metadata
from sms_gateway.services.keywords import Keyword, confirms_delete
from sms_gateway.services.plan_service import PlanService
from sms_gateway.services.planner import PlanTurn
from sms_gateway.services.rasa_client import AssistantUnavailableError, BotMessage
from sms_gateway.services.reply_delivery import (
    STORE_RETRY_SECONDS,
    PendingTurn,
    ReplyDelivery,
    chosen_payload,
    later_path,
    run_all,
)
from sms_gateway.services.safety_net import CrisisDetector
from sms_gateway.services.turn_state import Opened
from sms_gateway.services.turns import (
    Turn,
    compose,
    crisis_messages,
    declines_person,
)

log = get_logger("pipeline")
CRISIS_BUDGET_SECONDS = 1.0  # the crisis reply waits this long at most for the message's storage


class ConversationPipeline(ReplyDelivery):
    def __init__(
        self,
        settings: Settings,
        store: ConversationStore,
        assistant: Assistant,
        detector: CrisisDetector,
        db: Offloader,
        urgent_db: Offloader,
        disk: Offloader,
        forget: Callable[[str], int] | None = None,
        erasure: Erasure | None = None,
        plans: PlanService | None = None,
    ) -> None:
        """``forget`` erases a conversation from Rasa's tracker store (retention.erase_tracker
        on RASA_TRACKER_URL); None when that URL is not set (the reset is all there is)."""
        self._settings = settings
        self._forget = forget
        self._erasure = erasure
        self._store = store
        self._assistant = assistant
        self._detector = detector
        self._db = db
        self._urgent_db = urgent_db  # crisis messages never queue behind the others' work
        self._disk = disk  # syncs the database file to disk while the assistant thinks
        self._deadline = settings.rasa_timeout_seconds
        self._late = settings.late_answer_seconds
        self._locks = ConversationLocks()
        self._plans = plans
        if plans is not None:
            plans.use_locks(self._locks)
        self._tasks: set[asyncio.Task[None]] = set()

    # -- the request -------------------------------------------------------------------------

    async def handle(self, channel: Channel, inbound: Inbound) -> list[Any]:
        """The reply to send now; whatever is late goes on after it, on its own."""
        turn = self._turn(channel, inbound)
        self._spawn(self._run(channel, turn))
        budget = CRISIS_BUDGET_SECONDS if turn.signal else self._deadline
        try:
            return await asyncio.wait_for(asyncio.shield(turn.ready), budget)
        except TimeoutError:
            if turn.ready.done():
                return turn.ready.result()
            turn.early = True
            log.warning(f"{channel.name}.deadline", status="fallback", categories=turn.flags)
            return channel.present(turn.quick)[0]

    def _turn(self, channel: Channel, inbound: Inbound) -> PendingTurn:
        return pending_turn(channel, inbound, self._detector, self._settings.max_inbound_chars)

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, channel: Channel, turn: PendingTurn) -> None:
        try:
            opened = await self._open(channel, turn)
        except Exception as exc:  # the request answers (a web chat that ended: 404)
            if not turn.ready.done():
                turn.ready.set_exception(exc)
            else:
                log.error(f"{channel.name}.store_failed", error=type(exc).__name__)
            return
        try:
            await self._answer(channel, turn, opened)
        except Exception as exc:  # never silent: the quick answer, recorded as the safe reply
            log.error(f"{channel.name}.failed", error=type(exc).__name__)
            reply = channel.present(turn.quick)[0]
            self._reply(turn, reply)
            await self._finish(channel, opened, reply, "fallback", turn.flags)

    async def _open(self, channel: Channel, turn: PendingTurn) -> Opened:
        """Store the message; while the database is locked, keep trying (never lost)."""
        i = turn.inbound
        db = self._urgent_db if turn.signal else self._db
        opened = await db.run_stubbornly(
            STORE_RETRY_SECONDS, self._store.open_turn, channel, i.key, i.client_id, i.body,
            turn.text, i.contact,
        )  # fmt: skip
        # Committed (safe from a crash of this process); the sync that makes it safe from a
        # power loss too runs beside the turn, off its critical path (a few ms on a quiet
        # disk, more on a busy one: the answer does not wait for it).
        turn.synced = asyncio.ensure_future(self._disk.run(self._store.sync_to_disk))
        return opened

    async def _answer(self, channel: Channel, turn: PendingTurn, o: Opened) -> None:
        name = channel.name
        if o.purged:  # a replay of a message purged long ago: silence, nothing stored
            self._reply(turn, [])
            log.warning(f"{name}.replay_of_purged", replayed=True)
            return
        if o.inbound_id is None:  # a replay: the same answer, no second turn
            self._reply(turn, await self._previous(channel, turn, o))
            log.info(f"{name}.replayed", conversation=o.conversation_id[:16], replayed=True)
            return
        keyword = turn.keyword
        if keyword is Keyword.STOP:
            return await self._leave(channel, turn, o, "stop", opt_out=True)
        if keyword is Keyword.EXIT:
            await self._leave(channel, turn, o, "exit", opt_out=None)
            self.restart_later(o.conversation_id, name)
            return None
        if keyword is Keyword.START and o.opted_out:
            reply = channel.present([BotMessage(render("keyword_start", name, o.language))])[0]
            return await self._done(channel, turn, o, reply, "answered", "start", opt_out=False)
        if o.choices == [ERASE] and confirms_delete(turn.text):
            return await self._erase(channel, turn, o, silent=o.opted_out)
        if keyword is Keyword.DELETE:
            if o.opted_out:  # no confirmation can reach this number: they asked, it is done
                return await self._erase(channel, turn, o, silent=True)
            ask = channel.present([BotMessage(render("delete_confirm", name, o.language))])[0]
            return await self._done(channel, turn, o, ask, "answered", "delete", choices=[ERASE])
        if o.opted_out:  # a START that ended an opt-out has returned above
            return await self._done(channel, turn, o, [], "silenced", "opted_out")
        if keyword is Keyword.HELP:
            reply = channel.present([BotMessage(render("keyword_help", name, o.language))])[0]
            return await self._done(channel, turn, o, reply, "answered", "help")
        if not turn.text:
            reply = channel.present([BotMessage(render("empty_message", name, o.language))])[0]
            return await self._done(channel, turn, o, reply, "answered", "empty")
        crisis = crisis_messages(turn.signal, name)
        language = turn.signal.language if turn.signal else o.language
        after: list[BotMessage] = []  # what follows the assistant's answer (a plan's hint)
        if o.held is None:
            planned = await self._plan_turn(channel, turn, o, language)
            if planned is not None and not planned.passthrough:
                return None
            after = planned.messages if planned is not None else []
        if o.held is not None:
            # An advocate holds this conversation: the message goes to them, not to Rasa, and
            # nothing is said over them. Crisis words make the handoff urgent and keep the
            # safety net's reply as the advocate's suggestion, sent on its own only if they
            # have not written within HELD_CRISIS_SECONDS (services/held_crisis.py).
            said = Turn([], "to_advocate", turn.flags, False, language, standby=crisis)
            return await self._done(channel, turn, o, [], "to_advocate", turn.flags, said=said)
        if crisis:
            reply = channel.present(crisis)[0]
            said = Turn(crisis, "answered", turn.flags, True, language)
            if not (turn.early or turn.recovered):
                # The message is stored; its crisis reply leaves now, before the urgent
                # handoff and the reply are written (a few ms that danger does not wait for).
                self._reply(turn, reply)
            await self._done(channel, turn, o, reply, "answered", turn.flags, said=said)
            await self._assistant_turn(channel, turn, o, crisis)
            return None
        await self._assistant_turn(channel, turn, o, [], after)
        return None

    async def _plan_turn(
        self, channel: Channel, turn: PendingTurn, o: Opened, language: str
    ) -> PlanTurn | None:
        """A plan's question, answer or request (services/planner.py), answered here: the
        assistant never sees it. None (or a passthrough) when it is the assistant's."""
        if self._plans is None:
            return None
        payload = turn.inbound.payload or chosen_payload(o.choices, turn.text)
        planned = await self._plans.turn(
            o, channel.name, turn.text, payload, language, crisis=turn.signal is not None
        )
        if planned is None or planned.passthrough:
            return planned
        reply, offered = channel.present(planned.messages)
        said = Turn(planned.messages, "answered", planned.flags, bool(planned.flags), language)
        await self._done(
            channel, turn, o, reply, "answered", planned.flags, said=said,
            choices=offered, text=planned.recorded,
            keep_as=channel.present(planned.kept_reply)[0] if planned.kept_reply else None,
        )  # fmt: skip
        return planned

    async def _assistant_turn(
        self,
        channel: Channel,
        turn: PendingTurn,
        o: Opened,
        first: list[BotMessage],
        after: list[BotMessage] | None = None,
    ) -> None:
        """Ask the assistant (one turn at a time per conversation) and deliver what it says:
        in the reply when the request still waits, later otherwise."""
        name = channel.name
        language = turn.signal.language if turn.signal else o.language
        async with self._locks.hold(o.conversation_id) as waited:
            choices = o.choices
            if waited and re.fullmatch(r"[1-9]", turn.text):
                choices = await self._db.run(self._store.choices, o.conversation_id)
            message = turn.inbound.payload or chosen_payload(choices, turn.text) or turn.text
            metadata = turn_metadata(name, turn, o)
            status, reason = "answered", ""
            try:
                bot = await self._assistant.send(o.conversation_id, message, metadata)
                messages = compose(first, bot, name, turn.signal, language) + (after or [])
            except ShedError:
                status, reason, messages = "fallback", "shed", first or turn.quick
            except AssistantUnavailableError as exc:
                status, reason, messages = "fallback", str(exc), first or turn.quick
            if reason:
                log.warning("rasa.unavailable", conversation=o.conversation_id[:16], reason=reason)
            declined = declines_person(choices, message, turn.text)
            result = Turn(
                messages, status, turn.flags, bool(first), language, declined_person=declined
            )
            if first:
                await self._deliver_rest(channel, turn, o, result, first)
            elif not turn.early and not turn.ready.done():
                reply, offered = channel.present(messages)
                chosen = offered if status == "answered" else None
                await self._done(
                    channel, turn, o, reply, status, turn.flags, said=result, choices=chosen
                )
            else:
                await self._deliver_late(channel, turn, o, result)

    async def _deliver_rest(
        self, channel: Channel, turn: PendingTurn, o: Opened, result: Turn, first: list[BotMessage]
    ) -> None:
        """After a crisis reply: the assistant's part, through the later path."""
        rest = result.messages[len(first) :]
        if result.status != "answered" or not rest:
            return
        reply, offered = channel.present(rest)
        said = Turn(rest, "answered", "", False, result.language)
        await self._finish(
            channel,
            o,
            None,
            "",
            "",
            said=said,
            record_youth=False,
            choices=offered,
            later=later_path(channel, o, turn.inbound.contact, reply),
        )

    async def _deliver_late(
        self, channel: Channel, turn: PendingTurn, o: Opened, result: Turn
    ) -> None:
        """The request was answered with the safe reply; the answer came after the deadline."""
        quick = channel.present(turn.quick)[0]
        on_time = time.monotonic() - turn.started <= self._deadline + self._late
        if result.status == "answered" and on_time and self._late > 0:
            reply, offered = channel.present(result.messages)
            await self._finish(
                channel,
                o,
                quick,
                "fallback",
                turn.flags,
                said=result,
                choices=offered,
                later=later_path(channel, o, turn.inbound.contact, reply),
            )
            log.info(f"{channel.name}.late_answer", conversation=o.conversation_id[:16])
            return
        said = Turn(turn.quick, "fallback", turn.flags, False, result.language)
        await self._finish(channel, o, quick, "fallback", turn.flags, said=said)

    async def _leave(
        self, channel: Channel, turn: PendingTurn, o: Opened, flag: str, opt_out: bool | None
    ) -> None:
        after = await self._db.run(self._store.leave, channel, o, flag, opt_out)
        self._reply(turn, [])
        run_all(after)
        log.info(f"{channel.name}.left", conversation=o.conversation_id[:16], keyword=flag)

    async def recover(self, channel: Channel, window_minutes: int) -> int:
        """Answer, through the later path, the messages a gateway that died stored but never
        answered (each once: taking one over moves its lease). Returns how many."""
        rows = await self._db.run(self._store.unanswered, timedelta(minutes=window_minutes))
        for external_id, body, contact in rows:
            turn = self._turn(channel, Inbound(contact, external_id, body, body, None, contact))
            turn.recovered = True
            opened = await self._db.run(
                self._store.reopen, channel, contact, external_id, turn.text
            )
            try:
                await self._answer(channel, turn, opened)
            except Exception as exc:  # the next one is still answered
                log.error(f"{channel.name}.recovery_failed", error=type(exc).__name__)
            log.info(f"{channel.name}.recovered", conversation=opened.conversation_id[:16])
        return len(rows)

    def restart_later(self, conversation_id: str, channel: str) -> None:
        """`restart` on its own: the person who left is not kept waiting for a turn in flight."""
        self._spawn(self.restart(conversation_id, channel))

    async def restart(self, conversation_id: str, channel: str) -> None:
        """Reset the assistant's conversation so nothing said before is used again, then erase
        its events from the tracker store: EXIT and quick exit leave no text behind. After the
        turn in flight, if any (the conversation's lock), so it cannot write them back."""
        async with self._locks.hold(conversation_id):
            await self._reset(conversation_id, channel)

    async def _reset(self, conversation_id: str, channel: str) -> None:
        """`restart`'s work, for a caller that holds the conversation's lock already."""
        try:
            await self._assistant.restart(conversation_id, channel)
        except AssistantUnavailableError:
            log.warning("rasa.restart_failed", conversation=conversation_id[:16])
        if self._forget is None:
            return
        try:
            erased = await self._db.run_stubbornly(
                STORE_RETRY_SECONDS, self._forget, conversation_id
            )
            log.info("tracker.erased", conversation=conversation_id[:16], count=erased)
        except Exception as exc:  # the hourly purge still removes it after RETENTION_DAYS
            log.error("tracker.erase_failed", error=type(exc).__name__)

    async def _erase(self, channel: Channel, turn: PendingTurn, o: Opened, *, silent: bool) -> None:
        """DELETE, confirmed: every store forgets this person (services/erasure.py); then the
        reply that says what went (none to a number that opted out: no message may reach it)."""
        if self._erasure is not None:
            async with self._locks.hold(o.conversation_id):  # after any turn in flight
                await self._erasure.erase(
                    o.conversation_id, turn.inbound.contact, self._reset, channel.name
                )
        said = [BotMessage(render("deleted", channel.name, o.language))]
        self._reply(turn, [] if silent else channel.present(said)[0])

    async def close(self) -> None:
        """Stop the turns still going (the gateway is stopping; recovery answers them later)."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2)
