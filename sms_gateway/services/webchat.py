"""The web chat channel: same pipeline, same safety net, same pseudonymous ids as SMS.

A conversation is a random 128-bit token that lives only in the page's memory (no cookie, no
storage). The server keeps a hash of it, forgets it after WEB_IDLE_MINUTES without a message
and at once on quick exit, which also ends every handoff of that chat and its live streams.
Messages that come later and unprompted (the assistant's part after a crisis text, a late
answer, an advocate's words) reach the open page over its live stream (services/live.py).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.config import Settings
from sms_gateway.db import aware, session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import WebConversation
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.channel import Inbound
from sms_gateway.services.conversation_store import ConversationStore
from sms_gateway.services.escalation import Escalations
from sms_gateway.services.keywords import Keyword
from sms_gateway.services.language import clear_language, remember_language
from sms_gateway.services.live import LiveStreams, WebMessage
from sms_gateway.services.pipeline import ConversationPipeline
from sms_gateway.services.pseudonyms import pseudonymous_id
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.turn_state import AfterCommit, Opened

__all__ = ["UnknownConversationError", "WebChatService", "WebMessage", "token_hash"]
log = get_logger("web")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class UnknownConversationError(KeyError):
    """The token is not (or no longer) a live conversation."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WebChannel:
    name = "web"
    # "stop" or "help" typed here is a word (the page has its own quick exit); EXIT / SALIR typed
    # alone still means what it means on a phone: silence now, and nothing said before is used.
    # DELETE ("delete my data", "borra mis datos") erases this chat everywhere, as on SMS.
    keywords = frozenset({Keyword.EXIT, Keyword.DELETE})

    def __init__(self, settings: Settings, live: LiveStreams) -> None:
        self._idle = timedelta(minutes=settings.web_idle_minutes)
        self._live = live

    def live_row(self, session: Session, token: str) -> WebConversation:
        """The chat behind a token, unless it is unknown or idle too long (then forgotten)."""
        row = session.get(WebConversation, token_hash(token))
        if row is None:
            raise UnknownConversationError(token[:4])
        if datetime.now(UTC) - aware(row.last_seen_at) > self._idle:
            session.delete(row)
            raise UnknownConversationError(token[:4])
        return row

    def locate(self, session: Session, key: str, text: str) -> tuple[str, str, bool]:
        """A new message keeps the chat alive and may set its language."""
        row = self.live_row(session, key)
        row.last_seen_at = datetime.now(UTC)
        return row.conversation_id, remember_language(row, clear_language(text)), False

    def external_id(self, conversation_id: str, client_id: str) -> str:
        if not _CLIENT_ID.match(client_id):
            client_id = secrets.token_hex(8)
        return f"web-{conversation_id[-12:]}-{client_id}"

    def set_opt_out(self, session: Session, conversation_id: str, opted_out: bool) -> bool:
        return False  # a web chat has no opt-out: quick exit forgets it instead

    def may_send_later(self, session: Session, opened: Opened) -> bool:
        """Only to a chat that is still open (not closed by quick exit, not expired)."""
        row = session.scalar(
            select(WebConversation.token_hash).where(
                WebConversation.conversation_id == opened.conversation_id
            )
        )
        return row is not None

    def present(self, messages: list[BotMessage]) -> tuple[list[Any], list[str] | None]:
        return [_to_web(m).as_dict() for m in messages if m.text or m.buttons], None

    def later(
        self, session: Session, conversation_id: str, contact: str | None, reply: list[Any]
    ) -> AfterCommit | None:
        live = self._live

        def push() -> None:
            for item in reply:
                live.publish(
                    conversation_id, WebMessage(item["text"], item["choices"], item["from"])
                )

        return push


class WebChatService:
    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        pipeline: ConversationPipeline,
        store: ConversationStore,
        escalations: Escalations,
        live: LiveStreams,
        db: Offloader,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._pipeline = pipeline
        self._store = store
        self._escalations = escalations
        self.live = live
        self._db = db
        self.channel = WebChannel(settings, live)

    # -- lifecycle ---------------------------------------------------------------------------

    def _start(self, language: str | None) -> str:
        token = secrets.token_urlsafe(24)
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            session.add(
                WebConversation(
                    token_hash=token_hash(token),
                    conversation_id=pseudonymous_id("web", token, self._settings.pseudonym_secret),
                    created_at=now,
                    last_seen_at=now,
                    language=language,
                )
            )
        return token

    async def start(self, language: str | None = None) -> str:
        """A new conversation; `language` is the page's, kept until the person shows theirs."""
        return await self._db.run(self._start, language)

    def _conversation_id(self, token: str) -> str:
        with session_scope(self._sessions) as session:
            return self.channel.live_row(session, token).conversation_id

    async def conversation_for(self, token: str) -> str:
        return await self._db.run(self._conversation_id, token)

    def _forget(self, token: str) -> tuple[str, list[int]] | None:
        with session_scope(self._sessions) as session:
            row = session.get(WebConversation, token_hash(token))
            if row is None:
                return None
            conversation_id = row.conversation_id
            session.delete(row)
            ended = self._store.end_everything_in(session, conversation_id)
        return conversation_id, ended

    async def forget(self, token: str) -> bool:
        """Quick exit: the server forgets the conversation at once, every handoff of it ends
        (the console shows the person left), its streams close, and the assistant resets."""
        forgotten = await self._db.run(self._forget, token)
        if forgotten is None:
            return False
        conversation_id, ended = forgotten
        self.live.close(conversation_id)
        self._escalations.handoffs.left_events(ended)
        self._pipeline.restart_later(conversation_id, "web")
        return True

    def _expire(self) -> tuple[list[str], list[int]]:
        cutoff = datetime.now(UTC) - timedelta(minutes=self._settings.web_idle_minutes)
        ended: list[int] = []
        with session_scope(self._sessions) as session:
            ids = list(
                session.scalars(
                    select(WebConversation.conversation_id).where(
                        WebConversation.last_seen_at < cutoff
                    )
                )
            )
            if ids:
                session.execute(
                    delete(WebConversation).where(WebConversation.last_seen_at < cutoff)
                )
            for conversation_id in ids:  # nobody can read them now: no advocate waits on them
                ended += self._store.end_everything_in(session, conversation_id)
        return ids, ended

    def expire_idle(self) -> int:
        """Forget abandoned chats (blocking; run on a worker thread). Their streams close and
        their handoffs end as if the person had left (the console shows it)."""
        ids, ended = self._expire()
        for conversation_id in ids:
            self.live.publish_close(conversation_id)
        self._escalations.handoffs.left_events(ended)
        return len(ids)

    # -- messages ----------------------------------------------------------------------------

    async def send(self, token: str, client_id: str, text: str) -> list[WebMessage]:
        """A typed message."""
        return await self._turn(Inbound(token, client_id, text, text))

    async def choose(
        self, token: str, client_id: str, title: str, payload: str
    ) -> list[WebMessage]:
        """A tapped choice: the assistant gets the payload; the safety net sees the title."""
        if not re.fullmatch(r"/[a-z_]{2,40}", payload):
            raise ValueError("not a choice payload")
        return await self._turn(Inbound(token, client_id, title, title, payload))

    async def _turn(self, inbound: Inbound) -> list[WebMessage]:
        reply = await self._pipeline.handle(self.channel, inbound)
        return [WebMessage(m["text"], m["choices"], m.get("from", "bot")) for m in reply]

    # -- later, unprompted messages ----------------------------------------------------------

    async def events(self, token: str, last_event_id: str | None = None) -> AsyncIterator[Any]:
        conversation = await self.conversation_for(token)
        return self.live.open(conversation, last_event_id)

    def publish(self, conversation_id: str, message: WebMessage) -> int:
        return self.live.publish(conversation_id, message)


def _to_web(message: BotMessage) -> WebMessage:
    return WebMessage(text=message.text, choices=[dict(b) for b in message.buttons])
