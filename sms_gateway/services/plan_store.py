"""Where a plan the youth thinks through lives: one row per conversation in `safety_plans`, its
answers one Fernet token, only when the youth said they may be kept (issue 12).

Blocking code, run on the database threads. The answer's own message row is redacted in the
same transaction as the answer is kept (its text then lives in one place, the plan, and goes
with it), so an answer never outlives the plan in the message log or a handoff transcript.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, session_scope
from sms_gateway.models import InboundMessage, SafetyPlan
from sms_gateway.services.crypto import FieldCipher

# What the message log and a handoff transcript keep instead of an answer to a plan question.
REDACTED = "(an answer to a plan question: kept only in the plan, if they agreed)"
# What the log keeps instead of a web reply that showed the answers on the page.
SHOWN = "(their answers were shown on the page)"
MAX_ANSWER_CHARS = 500
_PLANS = SafetyPlan.__table__
_EXPIRES = select(_PLANS.c.expires_at).where(_PLANS.c.conversation_id == bindparam("c"))


@dataclass
class PlanState:
    """What the conversation's plan is at (a copy; `PlanStore.save` writes it back)."""

    language: str = "en"
    step: str | None = None  # the question waiting for an answer
    resume: str | None = None  # where "go on" picks up
    keep: bool | None = None  # None: not asked yet
    answers: dict[str, str] = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    asked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    expires_at: datetime | None = None  # as stored (None: not stored yet)

    def answer(self, step: str, text: str) -> None:
        """Keep an answer, only if they agreed to keeping them."""
        if self.keep:
            self.answers[step] = text[:MAX_ANSWER_CHARS]


class PlanStore:
    def __init__(
        self, sessions: sessionmaker[Session], cipher: FieldCipher, ttl_hours: int
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._ttl = timedelta(hours=ttl_hours)

    @property
    def ttl_days(self) -> str:
        """How long kept answers stay, in days as the texts say it ("3")."""
        days = self._ttl.total_seconds() / 86400
        return str(int(days)) if days == int(days) else f"{days:.1f}"

    @staticmethod
    def exists_in(session: Session, conversation_id: str) -> bool:
        """Whether this conversation has a plan (read with the message, in its transaction)."""
        expires = session.scalar(_EXPIRES, {"c": conversation_id})
        return expires is not None and aware(expires) > datetime.now(UTC)

    def load(self, conversation_id: str) -> PlanState | None:
        with session_scope(self._sessions) as session:
            return self.answers(session, conversation_id)

    def _state(self, row: SafetyPlan) -> PlanState:
        answers = (
            json.loads(self._cipher.decrypt(row.answers_encrypted) or "{}")
            if (row.answers_encrypted)
            else {}
        )
        return PlanState(
            row.language, row.step, row.resume, row.keep, dict(answers),
            aware(row.started_at), aware(row.asked_at), aware(row.expires_at),
        )  # fmt: skip

    def save(
        self,
        conversation_id: str,
        channel: str,
        state: PlanState | None,
        answered: int | None = None,
    ) -> None:
        """Write the plan (None deletes it); `answered` is the message row of an answer, whose
        text is replaced by REDACTED in the same transaction."""
        with session_scope(self._sessions) as session:
            row = session.get(SafetyPlan, conversation_id)
            if state is None:
                if row is not None:
                    session.delete(row)
            else:
                if row is None:
                    row = SafetyPlan(
                        conversation_id=conversation_id,
                        started_at=state.started_at,
                        expires_at=state.started_at + self._ttl,
                    )
                    session.add(row)
                row.channel, row.language = channel, state.language
                row.step, row.resume, row.keep = state.step, state.resume, state.keep
                row.asked_at = state.asked_at
                row.answers_encrypted = (
                    self._cipher.encrypt(json.dumps(state.answers)) if state.answers else None
                )
            if answered is not None:
                message = session.get(InboundMessage, answered)
                if message is not None:
                    message.body_encrypted = self._cipher.encrypt(REDACTED)

    def pause(self, conversation_id: str) -> None:
        """Crisis words while a question waits: the question is set aside ("go on" resumes it),
        so the next message is read as what it is, not as an answer."""
        with session_scope(self._sessions) as session:
            row = session.get(SafetyPlan, conversation_id)
            if row is not None and row.step is not None:
                if row.step not in ("offer", "keep"):
                    row.resume = row.step
                row.step = None
                if not row.keep and row.resume is None:
                    session.delete(row)

    def answers(self, session: Session, conversation_id: str) -> PlanState | None:
        """The plan, in the caller's transaction (the console's caller checked who may see
        it); an expired one is as if it were gone."""
        row = session.get(SafetyPlan, conversation_id)
        if row is None or aware(row.expires_at) <= datetime.now(UTC):
            return None
        return self._state(row)


def delete_plan_in(session: Session, conversation_id: str) -> int:
    """EXIT, STOP, quick exit, DELETE: the plan goes with everything else of the person."""
    result = session.execute(
        delete(SafetyPlan).where(SafetyPlan.conversation_id == conversation_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired_plans(session: Session, now: datetime) -> int:
    """PLAN_TTL_HOURS after a plan started, it goes (the hourly retention run)."""
    result = session.execute(delete(SafetyPlan).where(SafetyPlan.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
