"""In-process publish/subscribe for live updates (advocate consoles).

Publishing is thread-safe: the outbound SMS worker publishes delivery updates from a worker
thread, and asyncio queues may only be touched from their own event loop, so each subscriber's
queue is fed through `call_soon_threadsafe` when the publisher is on another thread.

Each gateway process serves its own open connections; with several gateway workers behind a
load balancer, sticky sessions keep a console on one worker (docs/security.md)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

Subscriber = tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()

    def publish(self, event: dict[str, Any]) -> int:
        try:
            current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for loop, queue in list(self._subscribers):
            if loop is current:
                queue.put_nowait(event)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(queue.put_nowait, event)
        return len(self._subscribers)

    async def subscribe(self, ping_seconds: float = 15) -> AsyncIterator[dict[str, Any]]:
        subscriber: Subscriber = (asyncio.get_running_loop(), asyncio.Queue())
        self._subscribers.add(subscriber)
        try:
            while True:
                try:
                    yield await asyncio.wait_for(subscriber[1].get(), timeout=ping_seconds)
                except TimeoutError:
                    yield {"type": "ping"}
        finally:
            self._subscribers.discard(subscriber)
