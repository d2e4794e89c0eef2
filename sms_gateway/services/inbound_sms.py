"""What happens to one inbound SMS, from the signed webhook to the TwiML reply.

Order matters and is the point of this module:
1. the message is stored (encrypted) before anything else, keyed by MessageSid, so it is never
   lost and a replay of the same MessageSid gets the same answer without a second bot turn;
2. carrier keywords and the exit keyword are handled here, never by the assistant;
3. the crisis safety net runs before the assistant and its reply goes first (see turns.py);
4. the assistant (Rasa) is asked under a hard time limit; if it fails, the safe reply is sent.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from resources.replies import render
from sms_gateway.config import Settings
from sms_gateway.db import session_scope
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import Contact, OfferedChoices
from sms_gateway.services.escalation import Escalations, metadata_for_assistant
from sms_gateway.services.keywords import Keyword, classify_keyword
from sms_gateway.services.language import clear_language, guess_language, remember_language
from sms_gateway.services.message_log import IN_FLIGHT, MessageLog
from sms_gateway.services.pseudonyms import pseudonymous_id
from sms_gateway.services.sms_format import format_for_sms
from sms_gateway.services.turns import ConversationTurns, clean_text

log = get_logger("sms")
CHOICES_TTL = timedelta(hours=2)


@dataclass(frozen=True)
class InboundSms:
    message_sid: str
    sender: str
    body: str
    num_media: int = 0


class SmsConversationService:
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

    async def handle(self, sms: InboundSms) -> list[str]:
        started = time.monotonic()
        conversation = pseudonymous_id("sms", sms.sender, self._settings.pseudonym_secret)
        previous = await self._log.claim(
            "sms", sms.message_sid, conversation, sms.body, contact=sms.sender
        )
        if previous is IN_FLIGHT:
            return [render("safe_reply", language=guess_language(sms.body))]
        if previous is not None:
            log.info("sms.replayed", conversation=conversation[:16], replayed=True)
            return [str(t) for t in previous]
        text = clean_text(sms.body, self._settings.max_inbound_chars)
        texts, status, flags = await self._answer(conversation, text, sms.sender)
        self._log.finish(sms.message_sid, texts, status, flags)
        log.info(
            "sms.answered",
            conversation=conversation[:16],
            status=status,
            categories=flags,
            messages=len(texts),
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        return texts

    # -- per-number state ------------------------------------------------------------------

    def _set_opt_out(self, conversation: str, opted_out: bool) -> bool:
        """Set the flag; return what it was before."""
        with session_scope(self._sessions) as session:
            contact = session.get(Contact, conversation)
            if contact is None:
                contact = Contact(conversation_id=conversation, opted_out=False)
                session.add(contact)
            before = bool(contact.opted_out)
            contact.opted_out = opted_out
            contact.updated_at = datetime.now(UTC)
            return before

    def _contact_state(self, conversation: str, text: str) -> tuple[str, bool]:
        """(language to answer in, opted out?) from one read of the number's state. A clear
        language is remembered (and forgotten by retention after RETENTION_DAYS)."""
        with session_scope(self._sessions) as session:
            contact = session.get(Contact, conversation) or Contact(
                conversation_id=conversation, opted_out=False
            )
            clear = clear_language(text)
            language = remember_language(contact, clear)
            if clear is not None:
                contact.updated_at = datetime.now(UTC)
                session.add(contact)
            return language, bool(contact.opted_out)

    def _choice_payload(self, conversation: str, text: str) -> str | None:
        if not re.fullmatch(r"[1-9]", text):
            return None
        with session_scope(self._sessions) as session:
            row = session.get(OfferedChoices, conversation)
            if row is None:
                return None
            offered_at = row.offered_at.replace(tzinfo=row.offered_at.tzinfo or UTC)
            if datetime.now(UTC) - offered_at > CHOICES_TTL:
                return None
            payloads = json.loads(row.payloads)
            index = int(text) - 1
            return str(payloads[index]) if index < len(payloads) else None

    def _save_choices(self, conversation: str, choices: list[str]) -> None:
        with session_scope(self._sessions) as session:
            row = session.get(OfferedChoices, conversation)
            if not choices:
                if row is not None:
                    session.delete(row)
                return
            if row is None:
                row = OfferedChoices(conversation_id=conversation)
                session.add(row)
            row.payloads = json.dumps(choices)
            row.offered_at = datetime.now(UTC)

    # -- answering -------------------------------------------------------------------------

    async def _answer(
        self, conversation: str, text: str, sender: str
    ) -> tuple[list[str], str, str]:
        language, opted_out = self._contact_state(conversation, text)
        keyword = classify_keyword(text)
        if keyword is Keyword.STOP:
            self._set_opt_out(conversation, True)
            return [], "silenced", "stop"
        if keyword is Keyword.EXIT:
            await self._turns.forget(conversation, "sms")
            self._save_choices(conversation, [])
            return [], "silenced", "exit"
        if keyword is Keyword.START and self._set_opt_out(conversation, False):
            return [render("keyword_start", language=language)], "answered", "start"
        if opted_out:  # read before START: a START that ended an opt-out has returned above
            return [], "silenced", "opted_out"
        if keyword is Keyword.HELP:
            return [render("keyword_help", language=language)], "answered", "help"
        if not text:
            return [render("empty_message", language=language)], "answered", "empty"

        escalations = self._escalations
        held = escalations.held(conversation) if escalations else None
        if escalations is not None and held is not None:
            # An advocate holds this conversation: the message goes to them, not to Rasa. The
            # safety net still answers danger at once.
            escalations.to_advocate(held, text)
            crisis = self._turns.crisis_reply(text, "sms")
            if crisis is not None:
                escalations.after_turn(conversation, "sms", sender, text, crisis)
                return format_for_sms(crisis.messages).texts, "to_advocate", crisis.flags
            return [], "to_advocate", ""
        message = self._choice_payload(conversation, text) or text
        extra = metadata_for_assistant(escalations)
        turn = await self._turns.take(conversation, text, message, "sms", language, extra)
        if escalations is not None:
            escalations.after_turn(conversation, "sms", sender, text, turn)
        reply = format_for_sms(turn.messages)
        if turn.status == "answered":
            self._save_choices(conversation, reply.choices)
        texts = list(dict.fromkeys(reply.texts))  # never the same text twice in one reply
        return texts or [render("safe_reply", language=language)], turn.status, turn.flags
