"""The database side of one message, in as few transactions as the order of steps allows.

1. `open_turn`: the message is stored (encrypted, keyed by the channel's own id) and, in the same
   transaction, everything the answer depends on is read: the conversation's language and
   opt-out, whether an advocate holds it, the numbered choices last offered, whether a person
   could answer now. One commit, so the message is never lost, before anything is answered.
2. `finish`: the reply is stored with its status, and in the same transaction the choices it
   offers, the escalation it calls for, the open handoff's transcript, and the replies that
   leave later are written.

A third, short one exists only when a turn had to wait (its answer is late, or a new message
came while the previous one was still with the assistant). Everything here is blocking code:
the pipeline runs it on the database threads (`services/blocking.py`), never on the event loop.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, durable, session_scope, upsert
from sms_gateway.models import (
    Handoff,
    InboundMessage,
    OfferedChoices,
    SeenMessage,
    message_id_hash,
)
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.escalation import Escalations
from sms_gateway.services.handoff_rules import ACTIVE
from sms_gateway.services.keywords import confirms_delete
from sms_gateway.services.later_replies import cancel_later_replies
from sms_gateway.services.plan_store import PlanStore, delete_plan_in
from sms_gateway.services.turn_state import AfterCommit, ChannelState, Opened
from sms_gateway.services.turns import Turn

CHOICES_TTL = timedelta(hours=2)

# The message path's statements, built once and on the tables, not the mapped classes:
# building a statement, and the ORM's handling of one, cost more than running it on SQLite
# (bench/bench_overhead.py).
_MESSAGES = cast(Table, InboundMessage.__table__)
_HANDOFFS = cast(Table, Handoff.__table__)
_SEEN = select(SeenMessage.__table__.c.id_hash).where(
    SeenMessage.__table__.c.id_hash == bindparam("h")
)
_INSERT = insert(_MESSAGES).returning(_MESSAGES.c.id)
_ACTIVE_HANDOFF = (
    select(_HANDOFFS.c.id, _HANDOFFS.c.status)
    .where(_HANDOFFS.c.conversation_id == bindparam("c"), _HANDOFFS.c.status.in_(ACTIVE))
    .order_by(_HANDOFFS.c.id.desc())
    .limit(1)
)
_STORE_REPLY = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id == bindparam("row_id"))
    .values(
        status=bindparam("b_status"),
        safety_flags=bindparam("b_flags"),
        reply_encrypted=bindparam("b_reply"),
        replied_at=bindparam("b_at"),
        lease_until=None,
    )
)
_CHOICES = cast(Table, OfferedChoices.__table__)
_FORGET_CHOICES = delete(_CHOICES).where(_CHOICES.c.conversation_id == bindparam("c"))


class ConversationStore:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: FieldCipher,
        escalations: Escalations,
        lease_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._escalations = escalations
        self._lease = timedelta(seconds=lease_seconds)

    # -- 1. store the message and read what the answer depends on ---------------------------

    def open_turn(
        self,
        channel: ChannelState,
        key: str,
        client_id: str,
        body: str,
        text: str,
        contact: str | None,
    ) -> Opened:
        now = datetime.now(UTC)
        try:
            with session_scope(self._sessions) as session:
                conversation_id, language, opted_out = channel.locate(session, key, text)
                external_id = channel.external_id(conversation_id, client_id)
                seen = session.execute(_SEEN, {"h": message_id_hash(external_id)}).first()
                if seen is not None:
                    # A replay of a message purged long ago: nothing to answer, nothing kept.
                    session.rollback()
                    return Opened(external_id, conversation_id, None, language, opted_out,
                                  purged=True)  # fmt: skip
                # Core statements on the message path (the ORM's unit of work costs more
                # than the SQL here: bench/bench_overhead.py).
                inserted = session.execute(
                    _INSERT,
                    {
                        "channel": channel.name,
                        "external_id": external_id,
                        "conversation_id": conversation_id,
                        "received_at": now,
                        "status": "received",
                        "safety_flags": "",
                        "body_encrypted": self._cipher.encrypt(body),
                        "contact_encrypted": self._cipher.encrypt(contact) if contact else None,
                        "lease_until": now + self._lease,
                    },
                )
                inbound_id = int(inserted.scalar_one())
                opened = Opened(external_id, conversation_id, inbound_id, language, opted_out)
                opened.contact = contact
                self._read_state(session, opened, text)
                return opened
        except IntegrityError:
            pass
        # Seen before: a replay, unless it was left unanswered by a gateway that died (its
        # lease ran out), which this delivery then takes over, once.
        with session_scope(self._sessions) as session:
            conversation_id, language, opted_out = channel.locate(session, key, text)
            external_id = channel.external_id(conversation_id, client_id)
            taken = self._take_over(session, external_id, now)
            opened = Opened(external_id, conversation_id, taken, language, opted_out)
            opened.contact = contact
            if taken is not None:
                self._read_state(session, opened, text)
            return opened

    def sync_to_disk(self) -> None:
        """Make every commit so far survive a power loss. SQLite in WAL mode with
        synchronous=NORMAL has them in its WAL file (safe from a crash of the gateway); an
        fsync of that file makes them durable, off the message's critical path (one fsync
        covers every commit before it). PostgreSQL commits are durable already."""
        engine = self._sessions.kw.get("bind")
        if engine is None or engine.dialect.name != "sqlite" or not engine.url.database:
            return
        wal = f"{engine.url.database}-wal"
        if not Path(wal).exists():
            return
        try:
            fd = os.open(wal, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:  # a checkpoint removed it meanwhile: the pages are in the file
            return

    def _take_over(self, session: Session, external_id: str, now: datetime) -> int | None:
        result = session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.external_id == external_id,
                InboundMessage.status == "received",
                InboundMessage.lease_until < now,
            )
            .values(lease_until=now + self._lease)
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0):
            return None
        return session.scalar(
            select(InboundMessage.id).where(InboundMessage.external_id == external_id)
        )

    def _read_state(self, session: Session, opened: Opened, text: str) -> None:
        handoff = session.execute(_ACTIVE_HANDOFF, {"c": opened.conversation_id}).first()
        opened.handoff_open = handoff is not None
        opened.held = handoff.id if handoff is not None and handoff.status == "claimed" else None
        opened.has_plan = PlanStore.exists_in(session, opened.conversation_id)
        # The choices offered are read only when they can matter: a number, DELETE's "yes", or
        # a short answer while a handoff waits ("not now" to the offer of a person).
        short_answer = opened.handoff_open and len(text) <= 40
        if re.fullmatch(r"[1-9]", text) or confirms_delete(text) or short_answer:
            opened.choices = self._choices(session, opened.conversation_id)
        if opened.held is None:
            opened.advocates_available = self._escalations.available_in(session)

    @staticmethod
    def _choices(session: Session, conversation_id: str) -> list[str]:
        row = session.get(OfferedChoices, conversation_id)
        if row is None or datetime.now(UTC) - aware(row.offered_at) > CHOICES_TTL:
            return []
        return [str(p) for p in json.loads(row.payloads)]

    def choices(self, conversation_id: str) -> list[str]:
        """Read again after waiting for the conversation's previous turn (which may have
        offered new ones)."""
        with session_scope(self._sessions) as session:
            return self._choices(session, conversation_id)

    def previous_reply(self, external_id: str) -> list[Any] | None:
        """The stored reply of a message seen before, or None while it is being answered."""
        with session_scope(self._sessions) as session:
            row = session.scalar(
                select(InboundMessage).where(InboundMessage.external_id == external_id)
            )
            if row is None or row.reply_encrypted is None:
                return None
            stored = self._cipher.decrypt(row.reply_encrypted)
            return list(json.loads(stored)) if stored else []

    # -- 2. store the reply and everything it implies ----------------------------------------

    def finish(
        self,
        channel: ChannelState,
        opened: Opened,
        reply: list[Any] | None,
        status: str,
        flags: str,
        *,
        text: str = "",
        turn: Turn | None = None,
        record_youth: bool = True,
        choices: list[str] | None = None,
        later: Callable[[Session], AfterCommit | None] | None = None,
        opt_out: bool | None = None,
    ) -> list[AfterCommit]:
        """One transaction; returns what to do once it has committed (live updates). A reply
        that leaves later (`later`) is queued only while the person is still there and no
        advocate holds the conversation."""
        after: list[AfterCommit] = []
        conversation_id = opened.conversation_id
        with session_scope(self._sessions) as session:
            if opt_out is not None:
                channel.set_opt_out(session, conversation_id, opt_out)
            if reply is not None and opened.inbound_id is not None:
                self._store_reply(session, opened.inbound_id, reply, status, flags)
            if choices is not None:
                self._save_choices(session, conversation_id, choices)
            if turn is not None:
                after += self._escalations.after_turn_in(
                    session,
                    conversation_id,
                    channel.name,
                    opened.contact,
                    text,
                    turn,
                    record_youth,
                    maybe_open=opened.handoff_open or not record_youth,
                    current_inbound=opened.inbound_id,
                )
            if later is not None and self._may_send_later(session, channel, opened):
                action = later(session)
                if action is not None:
                    after.append(action)
        return after

    def _may_send_later(self, session: Session, channel: ChannelState, opened: Opened) -> bool:
        handoff = self._escalations.handoffs.active_in(session, opened.conversation_id)
        if handoff is not None and handoff.status == "claimed":
            return False
        return channel.may_send_later(session, opened)

    def _store_reply(
        self, session: Session, inbound_id: int, reply: list[Any], status: str, flags: str
    ) -> None:
        session.execute(
            _STORE_REPLY,
            {
                "row_id": inbound_id,
                "b_status": status,
                "b_flags": flags[:64],
                "b_reply": self._cipher.encrypt(json.dumps(reply)),
                "b_at": datetime.now(UTC),
            },
        )

    @staticmethod
    def _save_choices(session: Session, conversation_id: str, choices: list[str]) -> None:
        if not choices:
            session.execute(_FORGET_CHOICES, {"c": conversation_id})
            return
        values = {"conversation_id": conversation_id, "payloads": json.dumps(choices),
                  "offered_at": datetime.now(UTC)}  # fmt: skip
        upsert(session, OfferedChoices, values, ["payloads", "offered_at"])

    def record_limited(
        self,
        channel: ChannelState,
        key: str,
        client_id: str,
        body: str,
        contact: str | None,
        reply: list[Any],
    ) -> list[Any]:
        """A message over a rate limit: stored with its short answer in one transaction, never
        sent to the assistant. A replay gets what the first delivery got."""
        now = datetime.now(UTC)
        try:
            with session_scope(self._sessions) as session:
                durable(session)
                conversation_id, _language, opted_out = channel.locate(session, key, "")
                session.add(
                    InboundMessage(
                        channel=channel.name,
                        external_id=channel.external_id(conversation_id, client_id),
                        conversation_id=conversation_id,
                        received_at=now,
                        status="limited",
                        body_encrypted=self._cipher.encrypt(body),
                        contact_encrypted=self._cipher.encrypt(contact) if contact else None,
                        reply_encrypted=self._cipher.encrypt(
                            json.dumps([] if opted_out else reply)
                        ),
                        replied_at=now,
                    )
                )
                return [] if opted_out else reply
        except IntegrityError:
            with session_scope(self._sessions) as session:
                conversation_id, _language, _opted = channel.locate(session, key, "")
                external_id = channel.external_id(conversation_id, client_id)
            return self.previous_reply(external_id) or []

    # -- the person leaves -------------------------------------------------------------------

    def leave(
        self, channel: ChannelState, opened: Opened, flag: str, opt_out: bool | None
    ) -> list[AfterCommit]:
        """EXIT, STOP or quick exit: silence at once. Every handoff of the person ends, what was
        queued for them is cancelled, and the consoles are told (after the commit)."""
        with session_scope(self._sessions) as session:
            durable(session)
            if opt_out is not None:
                channel.set_opt_out(session, opened.conversation_id, opt_out)
            if opened.inbound_id is not None:
                self._store_reply(session, opened.inbound_id, [], "silenced", flag)
            self._save_choices(session, opened.conversation_id, [])
            ended = self.end_everything_in(session, opened.conversation_id)
        return [lambda: self._escalations.handoffs.left_events(ended)]

    def left_events(self, ended: list[int]) -> None:
        """After the commit: the consoles see that these handoffs' person left."""
        self._escalations.handoffs.left_events(ended)

    def end_everything_in(self, session: Session, conversation_id: str) -> list[int]:
        cancel_later_replies(session, conversation_id)
        delete_plan_in(session, conversation_id)
        return self._escalations.handoffs.end_for_person(session, conversation_id)

    # -- recovery ----------------------------------------------------------------------------

    def unanswered(self, window: timedelta) -> list[tuple[str, str, str]]:
        """(external id, body, contact) of SMS stored but never answered, whose process is gone
        (their lease ran out), received within `window`; each is taken over here (the lease
        moves), so no other process answers it too. A web page whose message failed says so,
        and the person sends it again; an SMS has no such second chance."""
        now = datetime.now(UTC)
        out = []
        with session_scope(self._sessions) as session:
            rows = session.scalars(
                select(InboundMessage)
                .where(
                    InboundMessage.channel == "sms",
                    InboundMessage.status == "received",
                    InboundMessage.received_at >= now - window,
                    InboundMessage.lease_until < now,
                )
                .order_by(InboundMessage.id)
                .limit(100)
            ).all()
            for row in rows:
                contact = (
                    self._cipher.decrypt(row.contact_encrypted) if row.contact_encrypted else ""
                )
                if not contact or self._take_over(session, row.external_id, now) is None:
                    continue
                out.append(
                    (row.external_id, self._cipher.decrypt(row.body_encrypted) or "", contact)
                )
        return out

    def reopen(self, channel: ChannelState, key: str, external_id: str, text: str) -> Opened:
        """`open_turn` for a message already stored and taken over (recovery)."""
        with session_scope(self._sessions) as session:
            conversation_id, language, opted_out = channel.locate(session, key, text)
            inbound_id = session.scalar(
                select(InboundMessage.id).where(InboundMessage.external_id == external_id)
            )
            opened = Opened(external_id, conversation_id, inbound_id, language, opted_out)
            opened.contact = key
            self._read_state(session, opened, text)
            return opened
