"""When a conversation goes to a person, and what the youth is told about it.

Escalation is raised by: the person asking (the assistant sends a `handoff` custom payload), the
crisis safety net (urgent, without the assistant), two misunderstandings in a row (offered by
the assistant; accepting is asking), or an advocate picking a conversation. While an advocate
holds a conversation, the youth's messages go to the advocate, not to Rasa.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from resources.hours import is_open, parse_hours
from resources.replies import render
from sms_gateway.config import Settings
from sms_gateway.logging_setup import get_logger
from sms_gateway.services.auth import AdvocateAuth
from sms_gateway.services.handoff import HandoffService
from sms_gateway.services.outbound import OutboundSms
from sms_gateway.services.rasa_client import BotMessage
from sms_gateway.services.turns import Turn

log = get_logger("escalation")


class Escalations:
    def __init__(
        self,
        settings: Settings,
        handoffs: HandoffService,
        auth: AdvocateAuth,
        outbound: OutboundSms,
    ) -> None:
        self._hours = parse_hours(json.loads(settings.handoff_hours))
        self.handoffs = handoffs
        self._auth = auth
        self._outbound = outbound
        self.web_publish: Any = None  # set by the app: WebChatService.publish

    def available(self) -> bool:
        """A person can answer now: within the helpline's hours and someone on shift."""
        return bool(is_open(self._hours, datetime.now(UTC))) and self._auth.anyone_on_shift()

    def held(self, conversation_id: str) -> int | None:
        return self.handoffs.held_by_advocate(conversation_id)

    def to_advocate(self, handoff_id: int, text: str) -> None:
        self.handoffs.record_youth_message(handoff_id, text)

    def after_turn(
        self, conversation_id: str, channel: str, contact: str | None, text: str, turn: Turn
    ) -> None:
        """Raise what this turn calls for, and keep an open handoff's transcript complete."""
        if turn.flags:
            category = turn.flags.split(",")[0]
            self.handoffs.escalate(
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
            )
        for message in turn.messages:
            request = message.custom.get("handoff") if message.custom else None
            if isinstance(request, dict):
                raw = request.get("summary")
                summary: dict[str, Any] = raw if isinstance(raw, dict) else {}
                reason = str(request.get("reason") or "asked")[:32]
                self.handoffs.escalate(
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
                )
        open_id = self.handoffs.open_handoff(conversation_id)
        if open_id is not None:
            self.handoffs.record_youth_message(open_id, text)
            for message in turn.messages:
                if message.text:
                    self.handoffs.record_bot_message(open_id, message.text)

    def tell_youth(self, handoff_id: int, reply_id: str, language: str = "en") -> None:
        """A system message to the youth over their channel (joined, back with the bot)."""
        channel, _contact, conversation_id = self.handoffs.contact_of(handoff_id)
        text = render(reply_id, channel, language)
        self.handoffs.system_message(handoff_id, text, channel)
        self.deliver(channel, conversation_id, text, "system")

    def deliver(self, channel: str, conversation_id: str, text: str, sender: str) -> None:
        if channel == "sms":
            self._outbound.wake()
        elif self.web_publish is not None:
            from sms_gateway.services.webchat import WebMessage

            self.web_publish(conversation_id, WebMessage(text, [], sender))


def bot_messages_without_handoff_payload(messages: list[BotMessage]) -> list[BotMessage]:
    return [m for m in messages if m.text or m.buttons]


def metadata_for_assistant(escalations: Escalations | None) -> dict[str, Any]:
    return {"advocates_available": escalations.available() if escalations else False}
