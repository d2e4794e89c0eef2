"""Talks to the Rasa server's REST channel, with a hard time limit.

Rasa listens on loopback only; the gateway is the only caller. Any failure (refused, slow,
malformed) is reported as `AssistantUnavailableError` so the caller can send the safe reply instead.

aiohttp rather than httpx: this call is on every message's path, and aiohttp's client costs a
few times less CPU per request on the event loop (bench/bench_edges.py, gateway vs direct).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import aiohttp


class AssistantUnavailableError(Exception):
    """Rasa did not answer usefully within the time limit."""


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] = field(default_factory=dict)


class RasaClient:
    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self._url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._base = base_url.rstrip("/")
        self._limit = timeout_seconds
        self._timeout = aiohttp.ClientTimeout(
            total=timeout_seconds, connect=min(2.0, timeout_seconds)
        )
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        """One session with kept-alive connections, made in the running loop (aiohttp's rule)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=0)
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[BotMessage]:
        payload = {"sender": sender_id, "message": text, "metadata": metadata}
        try:
            async with asyncio.timeout(self._limit):  # in all, not per read
                async with self._http().post(self._url, json=payload) as response:
                    response.raise_for_status()
                    data = await response.json(content_type=None)
        except TimeoutError as exc:
            raise AssistantUnavailableError("TimeoutError") from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise AssistantUnavailableError(type(exc).__name__) from exc
        if not isinstance(data, list):
            raise AssistantUnavailableError("unexpected response shape")
        return [_to_message(item) for item in data if isinstance(item, dict)]

    async def is_up(self) -> bool:
        try:
            timeout = aiohttp.ClientTimeout(total=2.0)
            async with self._http().get(self._base + "/", timeout=timeout) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False


def _to_message(item: dict[str, Any]) -> BotMessage:
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in item.get("buttons") or []
        if isinstance(b, dict)
    ]
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    return BotMessage(text=str(item.get("text") or ""), buttons=buttons, custom=custom or {})
