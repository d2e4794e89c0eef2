"""Live streams of a web chat: messages that arrive later and unprompted (the assistant's part
after a crisis text, a late answer, an advocate's words) reach the open page over server-sent
events.

Bounded everywhere, so neither a slow page nor a flood can grow memory: a few streams per
conversation and a total cap (`TooManyStreamsError`), a short queue per stream (a page that
does not read is dropped; it reconnects and catches up), and a short backlog per conversation
that a reconnecting page replays from its `Last-Event-ID`. Event ids grow with the clock, so a
page that reconnects to a restarted gateway still gets what was published after it left.

Streams end when their chat ends: quick exit, idle expiry (`close`), or the gateway stopping.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

QUEUE_SIZE = 32
BACKLOG = 20
PING_SECONDS = 15.0


class TooManyStreamsError(Exception):
    """This conversation, or the gateway, has as many live streams as it allows."""


@dataclass(frozen=True)
class WebMessage:
    text: str
    choices: list[dict[str, str]]
    sender: str = "bot"  # bot | advocate | system
    name: str = ""  # the name an advocate chose to show ("Ana"), else none

    def as_dict(self) -> dict[str, Any]:
        shown = {"name": self.name} if self.name else {}
        return {"text": self.text, "choices": self.choices, "from": self.sender, **shown}


Event = dict[str, Any]


class LiveStreams:
    def __init__(self, per_conversation: int, total: int) -> None:
        self._per_conversation = per_conversation
        self._total = total
        self._queues: dict[str, set[asyncio.Queue[Event]]] = defaultdict(set)
        self._backlog: dict[str, deque[Event]] = {}
        self._open = 0
        self._last_id = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def open_streams(self) -> int:
        return self._open

    def _next_id(self) -> int:
        self._last_id = max(self._last_id + 1, time.time_ns() // 1000)
        return self._last_id

    def open(self, conversation_id: str, last_event_id: str | None) -> AsyncIterator[Event]:
        """Events for one page: what it missed (all of the backlog on a first connection, what
        came after `last_event_id` on a reconnection), then live ones, a ping every 15 s.
        Raises TooManyStreamsError at once, before anything is streamed."""
        if self._open >= self._total or len(self._queues.get(conversation_id, ())) >= (
            self._per_conversation
        ):
            raise TooManyStreamsError
        self._loop = asyncio.get_running_loop()
        after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
        return self._iterate(conversation_id, after)

    async def _iterate(self, conversation_id: str, after: int) -> AsyncIterator[Event]:
        # Registered when iteration starts, so a stream never started holds no place.
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._queues[conversation_id].add(queue)
        self._open += 1
        try:
            for event in [e for e in self._backlog.get(conversation_id, ()) if e["id"] > after]:
                yield event
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=PING_SECONDS)
                except TimeoutError:
                    yield {"type": "ping"}
                    continue
                yield event
                if event["type"] in ("closed", "overflow"):
                    return
        finally:
            self._open -= 1
            queues = self._queues.get(conversation_id)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    self._queues.pop(conversation_id, None)

    def publish(self, conversation_id: str, message: WebMessage) -> int:
        """Push to every open page of the conversation (and keep it for one that reconnects);
        returns how many pages got it now. Safe to call from a worker thread."""
        loop = self._loop
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if loop is not None and not on_loop and not loop.is_closed():
            loop.call_soon_threadsafe(self._publish, conversation_id, message)
            return len(self._queues.get(conversation_id, ()))
        return self._publish(conversation_id, message)

    def _publish(self, conversation_id: str, message: WebMessage) -> int:
        event: Event = {"type": "message", "id": self._next_id(), "message": message.as_dict()}
        self._backlog.setdefault(conversation_id, deque(maxlen=BACKLOG)).append(event)
        queues = self._queues.get(conversation_id, set())
        for queue in list(queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:  # a page that does not read: drop it, it will catch up
                _drain(queue)
                queue.put_nowait({"type": "overflow"})
        return len(queues)

    def close(self, conversation_id: str) -> None:
        """The chat ended: its pages are told, their streams end, nothing is kept for it."""
        self._backlog.pop(conversation_id, None)
        for queue in list(self._queues.get(conversation_id, ())):
            _drain(queue)
            queue.put_nowait({"type": "closed"})

    def publish_close(self, conversation_id: str) -> None:
        """`close` from a worker thread (idle expiry runs there)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.close, conversation_id)

    def close_all(self) -> None:
        for conversation_id in list(self._queues):
            self.close(conversation_id)


def _drain(queue: asyncio.Queue[Event]) -> None:
    while not queue.empty():
        queue.get_nowait()
