"""Pseudonymous conversation ids: Rasa and the logs never see a phone number.

An HMAC (not a plain hash) is used because the space of phone numbers is small enough to
enumerate; without the server secret the id cannot be turned back into a number.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonymous_id(channel: str, address: str, secret: str) -> str:
    """Stable id for one sender on one channel, e.g. ``sms-3f9a…`` (32 hex digits)."""
    normalized = address.strip().replace(" ", "")
    digest = hmac.new(secret.encode(), f"{channel}:{normalized}".encode(), hashlib.sha256)
    return f"{channel}-{digest.hexdigest()[:32]}"
