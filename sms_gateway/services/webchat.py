"""The web chat channel: same assistant, same safety net, same pseudonymous ids as SMS.

A conversation is a random 128-bit token that lives only in the page's memory (no cookie, no
storage). The server keeps a hash of it, forgets it after WEB_IDLE_MINUTES without a message
and at once on quick exit. Replies can also arrive later and unprompted (an advocate's
message): each open page listens on a server-sent-events stream fed by `publish`.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from resources.replies import render
from sms_gateway.config import Settings
from sms_gateway.db import aware, session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import WebConversation
from sms_gateway.services.escalation import Escalations, metadata_for_assistant
from sms_gateway.services.language import clear_language, remember_language
from sms_gateway.services.message_log import IN_FLIGHT, MessageLog
from sms_gateway.services.pseudonyms import pseudonymous_id
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.turns import ConversationTurns, clean_text

log = get_logger("web")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class UnknownConversationError(KeyError):
    """The token is not (or no longer) a live conversation."""


@dataclass(frozen=True)
class WebMessage:
    text: str
    choices: list[dict[str, str]]
    sender: str = "bot"  # bot | advocate | system

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "choices": self.choices, "from": self.sender}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WebChatService:
    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        turns: ConversationTurns,
        message_log: MessageLog,
        escalations: Escalations | None = None,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._turns = turns
        self._log = message_log
        self._escalations = escalations
        self._listeners: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, language: str | None = None) -> str:
        """A new conversation; `language` is the page's, kept until the person shows theirs."""
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

    def _live(self, session: Session, token: str) -> WebConversation:
        """The chat behind a token, unless it is unknown or idle too long (then forgotten)."""
        idle = timedelta(minutes=self._settings.web_idle_minutes)
        row = session.get(WebConversation, token_hash(token))
        if row is None:
            raise UnknownConversationError(token[:4])
        if datetime.now(UTC) - aware(row.last_seen_at) > idle:
            session.delete(row)
            raise UnknownConversationError(token[:4])
        return row

    def _conversation_id(self, token: str) -> str:
        with session_scope(self._sessions) as session:
            return self._live(session, token).conversation_id

    def _open(self, token: str, text: str) -> tuple[str, str]:
        """(conversation id, language to answer in) for a new message, which keeps the chat
        alive and may set its language."""
        with session_scope(self._sessions) as session:
            row = self._live(session, token)
            row.last_seen_at = datetime.now(UTC)
            return row.conversation_id, remember_language(row, clear_language(text))

    async def forget(self, token: str) -> bool:
        """Quick exit: the server forgets the conversation at once (and the assistant resets)."""
        with session_scope(self._sessions) as session:
            row = session.get(WebConversation, token_hash(token))
            if row is None:
                return False
            conversation_id = row.conversation_id
            session.delete(row)
        for queue in self._listeners.pop(conversation_id, set()):
            queue.put_nowait({"type": "closed"})
        await self._turns.forget(conversation_id, "web")
        return True

    def expire_idle(self) -> int:
        cutoff = datetime.now(UTC) - timedelta(minutes=self._settings.web_idle_minutes)
        with session_scope(self._sessions) as session:
            result = session.execute(
                delete(WebConversation).where(WebConversation.last_seen_at < cutoff)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    # -- messages ----------------------------------------------------------------------------

    async def send(self, token: str, client_id: str, text: str) -> list[WebMessage]:
        """A typed message."""
        cleaned = clean_text(text, self._settings.max_inbound_chars)
        return await self._turn(token, client_id, text, cleaned, cleaned)

    async def choose(
        self, token: str, client_id: str, title: str, payload: str
    ) -> list[WebMessage]:
        """A tapped choice: the assistant gets the payload; the safety net sees the title."""
        if not re.fullmatch(r"/[a-z_]{2,40}", payload):
            raise ValueError("not a choice payload")
        return await self._turn(token, client_id, title, title, payload)

    async def _turn(
        self, token: str, client_id: str, raw: str, text: str, message: str
    ) -> list[WebMessage]:
        conversation, language = self._open(token, text)
        if not _CLIENT_ID.match(client_id):
            client_id = secrets.token_hex(8)
        external_id = f"web-{conversation[-12:]}-{client_id}"
        previous = await self._log.claim("web", external_id, conversation, raw)
        if previous is IN_FLIGHT:
            return [WebMessage(render("safe_reply", "web", language), [])]
        if previous is not None:
            return [WebMessage(m["text"], m["choices"], m.get("from", "bot")) for m in previous]
        if not text:
            reply = [WebMessage(render("empty_message", "web", language), [])]
            self._log.finish(external_id, [m.as_dict() for m in reply], "answered", "empty")
            return reply
        escalations = self._escalations
        held = escalations.held(conversation) if escalations else None
        if escalations is not None and held is not None:
            escalations.to_advocate(held, text)
            crisis = self._turns.crisis_reply(text, "web")
            if crisis is not None:
                escalations.after_turn(conversation, "web", None, text, crisis)
            reply = [_to_web(m) for m in crisis.messages] if crisis else []
            self._log.finish(external_id, [m.as_dict() for m in reply], "to_advocate", "")
            return reply
        extra = metadata_for_assistant(escalations)
        turn = await self._turns.take(conversation, text, message, "web", language, extra)
        if escalations is not None:
            escalations.after_turn(conversation, "web", None, text, turn)
        reply = [_to_web(m) for m in turn.messages if m.text or m.buttons]
        self._log.finish(external_id, [m.as_dict() for m in reply], turn.status, turn.flags)
        log.info(
            "web.answered",
            conversation=conversation[:16],
            status=turn.status,
            categories=turn.flags,
            messages=len(reply),
        )
        return reply

    # -- later, unprompted messages (advocates) -----------------------------------------------

    async def events(self, token: str) -> AsyncIterator[dict[str, Any]]:
        conversation = self._conversation_id(token)
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._listeners[conversation].add(queue)
        try:
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=15)
                except TimeoutError:
                    yield {"type": "ping"}
                    continue
                yield event
                if event.get("type") == "closed":
                    return
        finally:
            self._listeners.get(conversation, set()).discard(queue)

    def publish(self, conversation_id: str, message: WebMessage) -> int:
        """Push a message to every open page of this conversation; returns how many got it."""
        queues = self._listeners.get(conversation_id, set())
        for queue in queues:
            queue.put_nowait({"type": "message", "message": message.as_dict()})
        return len(queues)

    def conversation_for(self, token: str) -> str:
        return self._conversation_id(token)


def _to_web(message: BotMessage) -> WebMessage:
    return WebMessage(text=message.text, choices=[dict(b) for b in message.buttons])
