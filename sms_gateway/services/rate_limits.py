"""Rate limits with a kind answer (the `limits` library): per sender number for SMS (counted
after the signature check, so a forger cannot use up a real person's allowance), per client
address for web chat and sign-in, and global ones for each.

Keys are HMACs, never a number or an address in clear, so the counts (in memory, or in Redis
shared by every worker: RATE_LIMIT_STORAGE) hold nothing that identifies anyone.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

from sms_gateway.config import Settings

RULES = {
    "sms_number": "sms_rate_per_number",
    "sms_global": "sms_rate_global",
    "web_new": "web_new_rate_per_address",
    "web_message": "web_message_rate_per_address",
    "web_global": "web_rate_global",
    "login_address": "login_rate_per_address",
    "login_global": "login_rate_global",
}
NOTICE = "1/10minutes"  # a "too many messages" answer is said once in this time, then silence


EXPIRY_EVERY_SECONDS = 1.0


class _QuietMemoryStorage(MemoryStorage):
    """limits' memory storage, sweeping expired counts at most once a second. The library
    starts a new timer thread on every hit that comes more than 10 ms after the last sweep:
    on the event loop, in every message's path. The sweep only frees memory (the moving
    window compares each entry's time itself), so sweeping less often changes no answer.
    Overrides a private method of limits 5.8 (pinned); tests/gateway/test_limits.py checks
    that hits start no thread and that limits still hold."""

    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the library's name
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + EXPIRY_EVERY_SECONDS
            super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


def make_storage(uri: str) -> Storage:
    """RATE_LIMIT_STORAGE: memory:// (this process) or redis://... (shared by workers)."""
    if uri.startswith("memory://"):
        return _QuietMemoryStorage(uri)
    storage = storage_from_string(uri)
    if not isinstance(storage, Storage):  # an async+ scheme: not for this limiter
        raise ValueError(f"RATE_LIMIT_STORAGE must be a synchronous storage, not {uri!r}")
    return storage


class RateLimits:
    def __init__(self, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(make_storage(settings.rate_limit_storage))
        self._rules: dict[str, list[RateLimitItem]] = {
            rule: parse_many(getattr(settings, name)) for rule, name in RULES.items()
        }
        self._rules["notice"] = parse_many(NOTICE)
        self._secret = settings.pseudonym_secret.encode()
        self._proxies = {p.strip() for p in settings.trusted_proxies.split(",") if p.strip()}

    def allow(self, rule: str, key: str = "all") -> bool:
        """Count one hit for `key` under `rule`; False when any of its limits is exceeded."""
        identifier = hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()[:32]
        ok = True
        for item in self._rules[rule]:
            if not self._limiter.hit(item, rule, identifier):
                ok = False
        return ok

    def client_address(self, request: Request) -> str:
        """The peer's address, or the client a trusted reverse proxy forwarded for."""
        peer = request.client.host if request.client else "unknown"
        if peer not in self._proxies:
            return peer
        forwarded = request.headers.get("x-forwarded-for", "")
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in self._proxies:
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return peer
        return peer
