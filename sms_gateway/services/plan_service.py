"""The plan in the conversation pipeline and in the advocates' console (issue 12).

In the pipeline: a message that may concern a plan (planner.Planner.wants) is read under the
conversation's lock with the plan as stored, and what it did is saved before the reply is
sent, so the next message finds the next question. Crisis words set a waiting question aside:
the safety net answers, and the next message is not taken for an answer.

In the console: only the advocate who holds the conversation sees the plan, and roles with
`see_all_plans` (supervisors, sms_gateway/permissions.yml); every look is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from resources.replies import render
from sms_gateway.db import session_scope
from sms_gateway.models import Handoff
from sms_gateway.services.auth import SignedIn
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.conversation_locks import ConversationLocks
from sms_gateway.services.handoff_rules import HandoffError, audit_in, can
from sms_gateway.services.plan_store import PlanStore
from sms_gateway.services.planner import Planner, PlanTurn
from sms_gateway.services.turn_state import Opened


class PlanService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: PlanStore,
        db: Offloader,
        locks: ConversationLocks | None = None,
    ) -> None:
        self._sessions = sessions
        self.store = store
        self.planner = Planner(store.ttl_days)
        self._db = db
        self._locks = locks or ConversationLocks()

    def use_locks(self, locks: ConversationLocks) -> None:
        """The pipeline's per-conversation locks (a plan turn and an assistant turn of the
        same conversation never run at once)."""
        self._locks = locks

    async def turn(
        self,
        o: Opened,
        channel: str,
        text: str,
        payload: str | None,
        language: str,
        crisis: bool,
    ) -> PlanTurn | None:
        """The plan's part of this message (saved already), or None when it is not about one."""
        if crisis:
            if o.has_plan:
                await self._db.run(self.store.pause, o.conversation_id)
            return None
        if not self.planner.wants(text, payload, o.has_plan):
            return None
        async with self._locks.hold(o.conversation_id):
            state = await self._db.run(self.store.load, o.conversation_id)
            planned = self.planner.turn(state, text, payload, channel, language)
            if planned is None:
                return None
            answered = o.inbound_id if planned.answered else None
            await self._db.run(self.store.save, o.conversation_id, channel, planned.state, answered)
        return planned

    # -- the console -------------------------------------------------------------------------

    def for_advocate(self, viewer: SignedIn, handoff_id: int) -> dict[str, Any]:
        """The plan of a handoff's person, for its holder or a supervisor (403 otherwise, and
        the refusal is audited too)."""
        seen = self._look(viewer, handoff_id)
        if seen is None:
            raise HandoffError(403, "only the advocate who has this conversation sees it")
        return seen

    def _look(self, viewer: SignedIn, handoff_id: int) -> dict[str, Any] | None:
        with session_scope(self._sessions) as session:
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise HandoffError(404, "no such conversation")
            holds = row.status == "claimed" and row.claimed_by == viewer.advocate_id
            allowed = holds or can(viewer.role, "see_all_plans")
            if not allowed:
                audit_in(session, viewer, "denied_plan", handoff_id)  # kept: committed here
                return None
            state = self.store.answers(session, row.conversation_id)
            audit_in(session, viewer, "view_plan", handoff_id)
            answers = [
                {"label": self.planner.label(step), "answer": state.answers[step]}
                for step in self.planner.order
                if state is not None and step in state.answers
            ]
            return {
                "note": render("plan_console_title", "console"),
                "answers": answers,
                "kept": bool(state and state.keep),
                "expires_at": state.expires_at.isoformat() if state and state.expires_at else None,
            }
