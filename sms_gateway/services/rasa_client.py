"""Talks to the Rasa server's REST channel, with a hard time limit.

Rasa listens on loopback only; the gateway is the only caller. Any failure (refused, slow,
malformed) is reported as `AssistantUnavailableError` so the caller can send the safe reply instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx


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
        self._timeout = httpx.Timeout(timeout_seconds, connect=min(2.0, timeout_seconds))
        self._client = httpx.AsyncClient(timeout=self._timeout)

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[BotMessage]:
        payload = {"sender": sender_id, "message": text, "metadata": metadata}
        try:
            async with asyncio.timeout(self._limit):  # in all, not per read
                response = await self._client.post(self._url, json=payload)
            response.raise_for_status()
            data = response.json()
        except TimeoutError as exc:
            raise AssistantUnavailableError("TimeoutError") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise AssistantUnavailableError(type(exc).__name__) from exc
        if not isinstance(data, list):
            raise AssistantUnavailableError("unexpected response shape")
        return [_to_message(item) for item in data if isinstance(item, dict)]

    async def is_up(self) -> bool:
        try:
            response = await self._client.get(self._base + "/", timeout=2.0)
            return response.status_code == 200
        except httpx.HTTPError:
            return False


def _to_message(item: dict[str, Any]) -> BotMessage:
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in item.get("buttons") or []
        if isinstance(b, dict)
    ]
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    return BotMessage(text=str(item.get("text") or ""), buttons=buttons, custom=custom or {})
