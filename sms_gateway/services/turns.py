"""One turn of a conversation, the same for every channel: the crisis safety net first, then the
assistant under a hard time limit, and the safe reply when the assistant fails."""

from __future__ import annotations

import re
from dataclasses import dataclass

from resources.guide import load_guide
from resources.present import localized_buttons
from resources.replies import render
from sms_gateway.logging_setup import get_logger
from sms_gateway.services.rasa_client import AssistantUnavailableError, BotMessage, RasaClient
from sms_gateway.services.safety_net import CrisisDetector

log = get_logger("turns")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(body: str, limit: int) -> str:
    """Drop control characters, keep every language and emoji, cap the length for the bot.

    A leading "/" is removed because Rasa reads "/intent" as a command: a person must not be
    able to steer the assistant by typing one. Every channel cleans text the same way.
    """
    text = _CONTROL.sub(" ", body).strip()
    text = text.lstrip("/").strip()
    return text[:limit]


@dataclass(frozen=True)
class Turn:
    messages: list[BotMessage]
    status: str  # answered | fallback
    flags: str  # crisis categories, comma-separated
    crisis_first: bool
    language: str = "en"  # what the person writes in, for the advocate's summary


PERSON_PAYLOAD = "/talk_to_person"


def offers_person(message: BotMessage) -> bool:
    return any(button.get("payload") == PERSON_PAYLOAD for button in message.buttons)


def offer_person(channel: str, language: str) -> BotMessage:
    """The same offer the assistant's action_offer_person sends, with its two choices."""
    buttons = localized_buttons(load_guide().menu("offer_person"), language)
    return BotMessage(render("offer_person", channel, language), buttons)


class ConversationTurns:
    def __init__(self, rasa: RasaClient, detector: CrisisDetector) -> None:
        self._rasa = rasa
        self._detector = detector

    async def take(
        self,
        conversation_id: str,
        text: str,
        message: str,
        channel: str,
        language: str,
        extra: dict[str, object] | None = None,
    ) -> Turn:
        """`text` is what the person wrote (for the safety net); `message` what Rasa gets (the
        same text, or the payload of a numbered choice)."""
        signal = self._detector.detect(text)
        first = (
            [BotMessage(render(f"crisis_{signal.category}", channel, signal.language))]
            if signal
            else []
        )
        flags = ",".join(signal.categories) if signal else ""
        metadata = {
            "channel": channel,
            "language": language,
            "safety_net": signal.category if signal else None,
            **(extra or {}),
        }
        try:
            bot = await self._rasa.send(conversation_id, message, metadata)
        except AssistantUnavailableError as exc:
            log.warning("rasa.unavailable", conversation=conversation_id[:16], reason=str(exc))
            fallback = first or [BotMessage(render("safe_reply", channel, language))]
            return Turn(fallback, "fallback", flags, bool(first), language)
        messages = first + [m for m in bot if m.text or m.buttons or m.custom]
        if first and not any(offers_person(m) for m in messages):
            # The assistant did not read the message as a crisis (the lexicon did): the offer
            # of a person that its crisis rules add must not go missing.
            messages.append(offer_person(channel, signal.language if signal else language))
        if not any(m.text or m.buttons for m in messages):
            messages = [*messages, BotMessage(render("safe_reply", channel, language))]
        return Turn(messages, "answered", flags, bool(first), language)

    def crisis_reply(self, text: str, channel: str) -> Turn | None:
        """The safety net alone (for a conversation an advocate holds: no assistant turn)."""
        signal = self._detector.detect(text)
        if signal is None:
            return None
        reply = BotMessage(render(f"crisis_{signal.category}", channel, signal.language))
        return Turn([reply], "answered", ",".join(signal.categories), True, signal.language)

    async def forget(self, conversation_id: str, channel: str) -> None:
        """Reset the assistant's conversation so nothing said before is used again."""
        try:
            await self._rasa.send(conversation_id, "/restart", {"channel": channel})
        except AssistantUnavailableError:
            log.warning("rasa.restart_failed", conversation=conversation_id[:16])
