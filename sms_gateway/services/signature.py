"""Twilio request signatures, checked with Twilio's own RequestValidator; fails closed.

Twilio signs the public URL it called, so validation uses PUBLIC_BASE_URL (not the Host header,
which a proxy may rewrite and an attacker may forge).
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator


class TwilioSignatureChecker:
    def __init__(self, auth_token: str, base_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._base_url = base_url.rstrip("/")

    def public_url(self, path: str, query: str = "") -> str:
        return f"{self._base_url}{path}" + (f"?{query}" if query else "")

    def is_valid(
        self, path: str, query: str, params: Mapping[str, str], signature: str | None
    ) -> bool:
        """True only for a present signature that matches this URL and these form fields."""
        if not signature:
            return False
        try:
            return bool(
                self._validator.validate(self.public_url(path, query), dict(params), signature)
            )
        except Exception:
            return False
