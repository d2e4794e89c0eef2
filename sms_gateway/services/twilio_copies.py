"""Twilio keeps its own copy of every message (body and numbers) until asked to delete it; the
helpline's retention and a person's DELETE must reach that copy too.

Messages are found through Twilio's REST API with the official client, by our number and the
date they were sent (Twilio filters by day), in both directions: what people sent us and what
we sent, TwiML replies included (we never learn their ids otherwise). One that Twilio will not
delete yet (still being sent) is counted and left for the next run. TWILIO_API_BASE_URL points
tests at a local fake.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from sms_gateway.config import Settings
from sms_gateway.logging_setup import get_logger

log = get_logger("twilio")
TWILIO_API = "https://api.twilio.com"


class _BaseUrlHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """The official client's HTTP layer, sending to another base URL (a local fake in tests)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self._base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self._base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def twilio_client(settings: Settings) -> Client:
    """The REST client for the helpline's account (or the local fake TWILIO_API_BASE_URL names)."""
    http = (
        _BaseUrlHttpClient(settings.twilio_api_base_url)
        if settings.twilio_api_base_url
        else TwilioHttpClient(timeout=10)
    )
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http)


@dataclass
class Deleted:
    deleted: int = 0
    left: int = 0  # Twilio refused (still sending) or did not answer: tried again next run

    def as_dict(self) -> dict[str, int]:
        return {"twilio_deleted": self.deleted, "twilio_left": self.left}


class TwilioCopies:
    def __init__(self, settings: Settings, client: Client | None = None) -> None:
        self._ours = settings.twilio_from_number
        self._client = client or twilio_client(settings)

    def delete_sent_before(self, cutoff: datetime) -> Deleted:
        """Every message to or from our number sent before ``cutoff``'s day (retention)."""
        return self._delete(
            self._listed(to=self._ours, date_sent_before=cutoff),
            self._listed(from_=self._ours, date_sent_before=cutoff),
        )

    def delete_with(self, number: str) -> Deleted:
        """Every message between this number and ours, both ways (a person's DELETE)."""
        return self._delete(
            self._listed(to=self._ours, from_=number), self._listed(to=number, from_=self._ours)
        )

    def _listed(self, **filters: Any) -> Iterator[str]:
        try:
            for message in self._client.messages.stream(page_size=100, **filters):
                yield str(message.sid)
        except TwilioException as exc:
            log.warning("twilio.list_failed", error=type(exc).__name__)

    def _delete(self, *listings: Iterator[str]) -> Deleted:
        done = Deleted()
        for sid in {sid for listing in listings for sid in listing}:
            try:
                if self._client.messages(sid).delete():
                    done.deleted += 1
                else:
                    done.left += 1
            except TwilioException as exc:  # 20009: still being sent; network: next run
                log.warning("twilio.delete_failed", error=type(exc).__name__)
                done.left += 1
        return done
