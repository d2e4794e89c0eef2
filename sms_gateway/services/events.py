"""In-process publish/subscribe for live updates (advocate consoles).

Publishing is thread-safe: the outbound SMS worker publishes delivery updates from a worker
thread, and asyncio queues may only be touched from their own event loop, so each subscriber's
queue is fed through `call_soon_threadsafe` when the publisher is on another thread.

Each gateway process serves its own open connections; with several gateway workers behind a
load balancer, sticky sessions keep a console on one worker (docs/security.md).

Bounded: at most `max_subscribers` consoles listen at once, and each has a short queue; a
console that stops reading is dropped (its page reconnects and reloads what it shows)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from sms_gateway.services.live import TooManyStreamsError

Subscriber = tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]
QUEUE_SIZE = 256


def _put(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    try:
        queue.put_nowait(event)
    except asyncio.QueueFull:  # not reading: end this stream; the console reconnects
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait({"type": "overflow"})


class EventBus:
    def __init__(self, max_subscribers: int = 200) -> None:
        self._subscribers: set[Subscriber] = set()
        self._max = max_subscribers

    def publish(self, event: dict[str, Any]) -> int:
        try:
            current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for loop, queue in list(self._subscribers):
            if loop is current:
                _put(queue, event)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_put, queue, event)
        return len(self._subscribers)

    def full(self) -> bool:
        """No room for another console stream (the route answers 503 before streaming)."""
        return len(self._subscribers) >= self._max

    async def subscribe(self, ping_seconds: float = 15) -> AsyncIterator[dict[str, Any]]:
        if len(self._subscribers) >= self._max:
            raise TooManyStreamsError
        subscriber: Subscriber = (asyncio.get_running_loop(), asyncio.Queue(QUEUE_SIZE))
        self._subscribers.add(subscriber)
        try:
            while True:
                try:
                    event = await asyncio.wait_for(subscriber[1].get(), timeout=ping_seconds)
                except TimeoutError:
                    yield {"type": "ping"}
                    continue
                if event.get("type") == "overflow":
                    return
                yield event
        finally:
            self._subscribers.discard(subscriber)
