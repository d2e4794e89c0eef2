"""Gateway settings, read once from the environment (and a `.env` file if present).

Development defaults exist so that `make run` works with nothing set, but they are marked as
insecure and refused when HELPLINE_ENV=production: a helpline must never run in production with
a secret that is printed in a public repository.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sms_gateway.services.crypto import parse_keys

DEV_PREFIX = "dev-insecure-"
DEV_TWILIO_AUTH_TOKEN = DEV_PREFIX + "twilio-auth-token"
DEV_PSEUDONYM_SECRET = DEV_PREFIX + "pseudonym-secret-change-me"
# A valid Fernet key (32 url-safe base64 bytes) that is public on purpose: development only.
DEV_ENCRYPTION_KEY = "ZGV2LWluc2VjdXJlLWtleS1mb3ItbG9jYWwtb25seSE="


class Settings(BaseSettings):
    """Every setting of the gateway process; names match the README's settings table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    helpline_env: Literal["development", "test", "production"] = "development"
    helpline_host: str = "127.0.0.1"
    helpline_port: int = 8000
    public_base_url: str = ""
    twilio_auth_token: str = DEV_TWILIO_AUTH_TOKEN
    twilio_account_sid: str = "AC" + "0" * 32
    twilio_api_base_url: str = ""
    pseudonym_secret: str = DEV_PSEUDONYM_SECRET
    encryption_key: str = DEV_ENCRYPTION_KEY
    database_url: str = "sqlite:///var/gateway.db"
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    # The deadline of a reply: past it the person gets the safe reply (the crisis text when
    # crisis words were seen) in the TwiML; Twilio waits 15 s, so this stays well inside it.
    rasa_timeout_seconds: float = Field(default=6.0, gt=0, le=12)
    # How much longer the assistant may still answer after the deadline: such a late answer is
    # sent on its own (REST for SMS, pushed on the web) unless the person left or an advocate
    # holds the conversation; past it the answer is dropped. 0 drops every late answer.
    late_answer_seconds: float = Field(default=30.0, ge=0, le=300)
    # Backpressure: turns in flight to each Rasa instance, and turns waiting for one; past both
    # the person gets the safe reply at once instead of a request that would wait past its
    # deadline. RASA_URL may name several instances, comma-separated (one gate each).
    rasa_max_in_flight: int = Field(default=6, ge=1, le=256)
    rasa_max_waiting: int = Field(default=12, ge=0, le=1024)
    # A message stored but never answered (the gateway died) is answered after restart if it
    # is at most this old; older ones stay recorded, unanswered, for the advocates' records.
    recovery_minutes: int = Field(default=60, ge=1, le=24 * 60)
    # Threads for database work, so that the event loop never waits on a transaction.
    db_threads: int = Field(default=4, ge=1, le=64)
    retention_days: int = Field(default=30, ge=1, le=365)
    # How long the answers of a plan a youth agreed to keep stay (then they are deleted).
    plan_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    # SQLAlchemy URL of Rasa's tracker store (the same database bot/endpoints*.yml names), so
    # the texts Rasa keeps are purged with the gateway's; empty means not purged (logged).
    rasa_tracker_url: str = ""
    max_inbound_chars: int = Field(default=1600, ge=160)
    log_level: str = "INFO"
    web_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Bearer token for GET /metrics; empty: open in development/test, not served in production.
    metrics_token: str = ""
    # How far back the console's "recent conversations" list looks (an advocate may pick one).
    recent_hours: int = Field(default=24, ge=1, le=24 * 7)
    # Where quick exit sends the browser: a neutral, everyday page (configurable per helpline).
    quick_exit_url: str = "https://www.weather.gov/"
    # The helpline's own Twilio number, the sender of advocates' replies.
    twilio_from_number: str = "+17025550100"
    # Crisis words while an advocate holds the conversation: the safety net's reply waits this
    # long for the advocate to answer, then goes out on its own (services/held_crisis.py).
    held_crisis_seconds: float = Field(default=60.0, ge=1, le=600)
    outbound_max_attempts: int = Field(default=4, ge=1, le=10)
    outbound_backoff_seconds: float = Field(default=2.0, gt=0, le=300)
    # When people can answer: a JSON hours object as in resources/data (e.g.
    # {"timezone": "America/Los_Angeles", "weekly": {"mon-fri": ["09:00-21:00"]}}), and at least
    # one advocate must be signed in and on shift.
    handoff_hours: str = '{"always_open": true}'
    # -- limits (abuse and floods get a kind answer, never a slow helpline for everyone) --------
    # Bodies larger than this get 413 before anything is parsed.
    max_body_bytes: int = Field(default=64 * 1024, ge=4096, le=16 * 1024 * 1024)
    # Rate limits, in the `limits` library's notation ("20/minute;120/hour"). SMS per number
    # are counted after the signature check; web chat and sign-in per client address.
    sms_rate_per_number: str = "20/minute;120/hour"
    sms_rate_global: str = "60/second"
    web_new_rate_per_address: str = "10/minute;60/hour"
    web_message_rate_per_address: str = "60/minute"
    web_rate_global: str = "100/second"
    login_rate_per_address: str = "10/minute;50/hour"
    login_rate_global: str = "60/minute"
    # Where the counts live: memory:// (one process) or redis://... (shared by every worker).
    rate_limit_storage: str = "memory://"
    # Client addresses of reverse proxies whose X-Forwarded-For names the real client
    # (comma-separated); empty means the peer address is the client.
    trusted_proxies: str = ""
    # Password hashes computed at once (argon2 is slow on purpose), and sign-ins allowed to
    # wait for one; past that, "busy, try again in a minute" at once.
    hashing_concurrency: int = Field(default=1, ge=1, le=16)
    hashing_max_waiting: int = Field(default=4, ge=0, le=256)
    # Live streams (server-sent events): per web conversation and in total.
    web_streams_per_conversation: int = Field(default=3, ge=1, le=20)
    live_streams_total: int = Field(default=500, ge=10, le=100_000)

    @model_validator(mode="after")
    def _rates_parse(self) -> Settings:
        from limits import parse_many

        for name in (
            "sms_rate_per_number",
            "sms_rate_global",
            "web_new_rate_per_address",
            "web_message_rate_per_address",
            "web_rate_global",
            "login_rate_per_address",
            "login_rate_global",
        ):
            try:
                parse_many(getattr(self, name))
            except ValueError as exc:
                raise ValueError(f"{name.upper()} is not a rate such as '20/minute'") from exc
        return self

    @property
    def rasa_urls(self) -> list[str]:
        """Every Rasa instance RASA_URL names (comma-separated), without trailing slashes."""
        return [u.strip().rstrip("/") for u in self.rasa_url.split(",") if u.strip()]

    @model_validator(mode="after")
    def _refuse_dev_defaults_in_production(self) -> Settings:
        if self.helpline_env != "production":
            return self
        insecure = [
            name
            for name in ("twilio_auth_token", "pseudonym_secret", "encryption_key")
            if getattr(self, name).startswith(DEV_PREFIX)
            or DEV_ENCRYPTION_KEY in parse_keys(getattr(self, name))
        ]
        if insecure:
            names = ", ".join(n.upper() for n in insecure)
            raise ValueError(f"HELPLINE_ENV=production refuses development defaults for: {names}")
        if not self.rasa_tracker_url:
            # Without it EXIT and the retention purge cannot reach the texts Rasa keeps.
            raise ValueError("RASA_TRACKER_URL must name Rasa's tracker database in production")
        if len(self.pseudonym_secret) < 32:
            raise ValueError("PSEUDONYM_SECRET must be at least 32 characters in production")
        if not self.public_base_url.startswith("https://"):
            raise ValueError("PUBLIC_BASE_URL must be the public https:// URL in production")
        return self

    @property
    def base_url(self) -> str:
        """The URL Twilio signs against: the public one when set, else the local address."""
        url = self.public_base_url or f"http://{self.helpline_host}:{self.helpline_port}"
        return url.rstrip("/")

    @property
    def uses_dev_defaults(self) -> bool:
        return self.twilio_auth_token.startswith(DEV_PREFIX) or self.pseudonym_secret.startswith(
            DEV_PREFIX
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings` instead of patching this."""
    return Settings()
