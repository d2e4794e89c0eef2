"""When a conversation goes to a person, and what the youth is told about it.

Escalation is raised by: the person asking (the assistant sends a `handoff` custom payload), the
crisis safety net (urgent, without the assistant), two misunderstandings in a row (offered by
the assistant; accepting is asking), or an advocate picking a conversation. While an advocate
holds a conversation, the youth's messages go to the advocate, not to Rasa.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from resources.hours import is_open, parse_hours
from resources.replies import render
from sms_gateway.config import Settings
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import Handoff
from sms_gateway.services.auth import AdvocateAuth
from sms_gateway.services.handoff import HandoffService, message_event
from sms_gateway.services.live import LiveStreams, WebMessage
from sms_gateway.services.outbound import OutboundSms
from sms_gateway.services.turns import Turn

log = get_logger("escalation")
ON_SHIFT_TTL = 2.0


class Escalations:
    def __init__(
        self,
        settings: Settings,
        handoffs: HandoffService,
        auth: AdvocateAuth,
        outbound: OutboundSms,
        live: LiveStreams,
    ) -> None:
        self._hours = parse_hours(json.loads(settings.handoff_hours))
        self.handoffs = handoffs
        self._auth = auth
        self._outbound = outbound
        self._live = live
        self._on_shift, self._on_shift_read = False, -ON_SHIFT_TTL
        self._held_crisis_seconds = settings.held_crisis_seconds

    def available_in(self, session: Session) -> bool:
        """A person can answer now: within the helpline's hours and someone on shift (read at
        most every ON_SHIFT_TTL seconds: every message asks, and shifts change slowly)."""
        if not is_open(self._hours, datetime.now(UTC)):
            return False
        now = time.monotonic()
        if now - self._on_shift_read > ON_SHIFT_TTL:
            self._on_shift = self._auth.anyone_on_shift_in(session)
            self._on_shift_read = now
        return self._on_shift

    def after_turn_in(
        self,
        session: Session,
        conversation_id: str,
        channel: str,
        contact: str | None,
        text: str,
        turn: Turn,
        record_youth: bool = True,
        maybe_open: bool = True,
        current_inbound: int | None = None,
    ) -> list[Callable[[], None]]:
        """Raise what this turn calls for, and keep an open handoff's transcript complete, in
        the caller's transaction; returns the live updates to publish once it commits.
        `maybe_open=False` (no handoff was open when the message arrived, and this turn raises
        none) skips looking for one: most messages have no handoff at all."""
        events: list[dict[str, Any]] = []
        opened = False
        if turn.flags:
            category = turn.flags.split(",")[0]
            opened |= self.handoffs.escalate_in(
                session,
                conversation_id,
                channel,
                "urgent",
                f"safety_net:{category}",
                {
                    "reason_text": f"Crisis words ({turn.flags.replace(',', ', ')})",
                    "urgency": "urgent",
                    "bot_gave": "Emergency options (911, 988, national hotline) first",
                    "language": turn.language,
                },
                contact,
            ).created
            events.append({"type": "queue"})
        for message in turn.messages:
            request = message.custom.get("handoff") if message.custom else None
            if isinstance(request, dict):
                raw = request.get("summary")
                summary: dict[str, Any] = raw if isinstance(raw, dict) else {}
                reason = str(request.get("reason") or "asked")[:32]
                opened |= self.handoffs.escalate_in(
                    session,
                    conversation_id,
                    channel,
                    "normal",
                    reason,
                    {
                        "reason_text": reason,
                        "urgency": "normal",
                        "language": turn.language,
                        **summary,
                    },
                    contact,
                ).created
                events.append({"type": "queue"})
        if not maybe_open and not events:
            return []
        handoff = self.handoffs.active_in(session, conversation_id)
        if handoff is not None and turn.declined_person and _urgent_and_waiting(handoff):
            # "Not now" after crisis words: the choice is theirs. The item stays in the queue
            # (the crisis words were said) but leaves the urgent lane, with the reason shown.
            self.handoffs.calm_in(handoff, "Said 'not now' to the offer of a person")
            events.append({"type": "queue"})
        if handoff is not None and opened and record_youth:
            # A handoff this turn opened starts with what was said before it (and the places
            # and numbers the assistant gave), not with "talk to a person".
            earlier = self.handoffs.earlier_in(session, conversation_id, current_inbound)
            self.handoffs.import_history_in(session, handoff.id, earlier)
        if handoff is not None:
            said = [("youth", text)] if record_youth and text else []
            said += [("bot", m.text) for m in turn.messages if m.text]
            for sender, words in said:
                message_dict = self.handoffs.add_message_in(session, handoff.id, sender, words)
                events.append(message_event(handoff.id, message_dict))
            if handoff.status == "claimed":
                for message in turn.standby:
                    message_dict = self.handoffs.stand_by_in(
                        session, handoff.id, message.text, self._held_crisis_seconds
                    )
                    events.append(message_event(handoff.id, message_dict))
        bus = self.handoffs.bus

        def publish() -> None:
            for event in _once(events):
                bus.publish(event)

        return [publish]

    def tell_youth(self, handoff_id: int, reply_id: str, language: str = "en") -> None:
        """A system message to the youth over their channel (joined, back with the bot)."""
        channel, _contact, conversation_id = self.handoffs.contact_of(handoff_id)
        text = render(reply_id, channel, language)
        self.handoffs.system_message(handoff_id, text, channel)
        self.deliver(channel, conversation_id, text, "system")

    def deliver(
        self, channel: str, conversation_id: str, text: str, sender: str, name: str | None = None
    ) -> None:
        """Send now what was just stored: SMS through the outbound worker, web pushed live
        (an advocate's message with the name they chose to show, if any)."""
        if channel == "sms":
            self._outbound.wake()
        else:
            self._live.publish(conversation_id, WebMessage(text, [], sender, name or ""))


def _urgent_and_waiting(handoff: Handoff) -> bool:
    return bool(
        handoff.status == "queued"
        and handoff.urgency == "urgent"
        and handoff.reason.startswith("safety_net:")
    )


def _once(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One {"type": "queue"} is enough however many escalations a turn raised."""
    seen_queue = False
    out = []
    for event in events:
        if event["type"] == "queue":
            if seen_queue:
                continue
            seen_queue = True
        out.append(event)
    return out
