"""What a console shows of an outbound message that failed, and retrying it (issue 11).

A failure says why, in words (sms_gateway/delivery_errors.yml, by Twilio's error code), and
what the advocate can do; where retrying can help, a retry puts the same message back in the
outbound queue, so the failed copy becomes the one being sent again (no second copy in the
transcript). Any outbound message of a handoff can be retried this way: the advocate's own
replies and the system notices ("a person from our team has joined").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from sms_gateway.models import HandoffMessage

ERRORS = Path(__file__).resolve().parents[1] / "delivery_errors.yml"
OUTBOUND = ("advocate", "system", "safety_net")
# An exception's name instead of a code: Twilio was not reached at all.
_EXCEPTION = re.compile(r"^[A-Z]\w*(Error|Exception|Timeout)$")


class RetryRefusedError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@lru_cache(maxsize=1)
def _errors() -> dict[str, Any]:
    return dict(yaml.safe_load(ERRORS.read_text(encoding="utf-8")))


def explain(code: str | None) -> dict[str, Any]:
    """{"why", "advice", "can_retry", "code"} for a failure's code."""
    data = _errors()
    key = str(code or "")
    if key in data["codes"]:
        entry = data["codes"][key]
    elif _EXCEPTION.match(key):
        entry = data["unreachable"]
    else:
        entry = data["default"]
    return {
        "why": entry["why"],
        "advice": entry["advice"],
        "can_retry": bool(entry["retry"]),
        "code": key,
    }


def failure_of(message: HandoffMessage) -> dict[str, Any]:
    """{"failure": ...} for a failed outbound message, else {} (merged into its dict)."""
    if message.delivery != "failed":
        return {}
    return {"failure": explain(message.error)}


def retry_in(session: Session, handoff_id: int, message_id: int) -> HandoffMessage:
    """Put a failed SMS of this handoff back in the queue, as the same message."""
    message = session.get(HandoffMessage, message_id)
    if message is None or message.handoff_id != handoff_id or message.sender not in OUTBOUND:
        raise RetryRefusedError(404, "no such message in this conversation")
    if message.delivery != "failed":
        raise RetryRefusedError(409, "only a message that failed can be sent again")
    if not explain(message.error)["can_retry"]:
        raise RetryRefusedError(422, explain(message.error)["why"])
    message.delivery, message.attempts, message.error = "queued", 0, None
    message.next_attempt_at = datetime.now(UTC)
    return message
