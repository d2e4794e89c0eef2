"""The assistant as the pipeline sees it: one or more Rasa instances, each behind a gate that
bounds the turns in flight to it and the turns waiting for it (backpressure).

Past saturation a Rasa server only grows its queue: every request waits longer, until all of
them pass their deadline. The gate keeps the queue short instead: a turn that finds the
instance's slots and its waiting line full is refused at once (`ShedError`), and the person gets
the safe reply within milliseconds rather than after the deadline. A conversation always goes
to the same instance (by its pseudonym), so its turns never race each other on two servers.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sms_gateway.services.rasa_client import BotMessage, RasaClient


class ShedError(Exception):
    """The instance is saturated: its slots and waiting line are full."""


class Gate:
    """At most `in_flight` turns at once, at most `waiting` more in line; the rest are shed."""

    def __init__(self, in_flight: int, waiting: int) -> None:
        self._slots = asyncio.Semaphore(in_flight)
        self._capacity = in_flight + waiting
        self._admitted = 0

    @property
    def admitted(self) -> int:
        return self._admitted

    @asynccontextmanager
    async def enter(self) -> AsyncIterator[None]:
        if self._admitted >= self._capacity:
            raise ShedError
        self._admitted += 1
        try:
            async with self._slots:
                yield
        finally:
            self._admitted -= 1


class Assistant:
    """Sends a turn to the conversation's Rasa instance through that instance's gate."""

    def __init__(
        self, urls: list[str], timeout_seconds: float, in_flight: int, waiting: int
    ) -> None:
        self._clients = [RasaClient(url, timeout_seconds) for url in urls]
        self._gates = [Gate(in_flight, waiting) for _ in urls]

    def _index(self, conversation_id: str) -> int:
        digest = hashlib.blake2s(conversation_id.encode(), digest_size=4).digest()
        return int.from_bytes(digest, "big") % len(self._clients)

    async def send(
        self, conversation_id: str, message: str, metadata: dict[str, Any]
    ) -> list[BotMessage]:
        """The assistant's messages; ShedError when saturated, AssistantUnavailableError when
        it fails or passes the hard time limit."""
        index = self._index(conversation_id)
        async with self._gates[index].enter():
            return await self._clients[index].send(conversation_id, message, metadata)

    async def restart(self, conversation_id: str, channel: str) -> None:
        """Reset the conversation (EXIT, quick exit). Not gated: a reset must never be shed."""
        client = self._clients[self._index(conversation_id)]
        await client.send(conversation_id, "/restart", {"channel": channel})

    def in_flight(self) -> int:
        return sum(g.admitted for g in self._gates)

    async def close(self) -> None:
        for client in self._clients:
            await client.close()
