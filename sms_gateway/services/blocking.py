"""Blocking work (database transactions, password hashing) runs on bounded thread pools, never
on the event loop: one slow transaction or one argon2 hash must not hold up every other
person's message.

Each pool has its own threads, so a flood of sign-ins (argon2 is slow on purpose) cannot take
the threads the conversations' database work needs, and a cap on what may wait, so a flood is
refused at once (`BusyError`) rather than queued for minutes.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import OperationalError

from sms_gateway.logging_setup import get_logger

log = get_logger("db")
P = ParamSpec("P")
T = TypeVar("T")


class BusyError(Exception):
    """Too much of this work is already waiting; the caller answers "busy, try again"."""


def _lower_priority(niceness: int) -> None:
    """Make the calling thread yield the CPU to everything else of the machine (Linux sets
    nice values per thread). A password hash may take a little longer during a flood; the
    conversations, and Rasa beside the gateway on the same cores, keep their speed."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):  # not Linux, or not allowed: same priority as the rest
        log.info("blocking.nice_unavailable")


class Offloader:
    def __init__(
        self, name: str, threads: int, max_waiting: int | None = None, niceness: int = 0
    ) -> None:
        """``niceness`` > 0 runs this pool's threads below everything else (argon2)."""
        self._pool = ThreadPoolExecutor(
            max_workers=threads,
            thread_name_prefix=name,
            initializer=functools.partial(_lower_priority, niceness) if niceness else None,
        )
        self._threads = threads
        self._max_waiting = max_waiting
        self._pending = 0  # touched on the event loop only

    @property
    def pending(self) -> int:
        return self._pending

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` on a worker thread; BusyError when too much already waits."""
        if self._max_waiting is not None and self._pending >= self._threads + self._max_waiting:
            raise BusyError
        self._pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
        finally:
            self._pending -= 1

    async def run_stubbornly(
        self, give_up_after: float, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`run`, tried again with backoff while the database is locked or unreachable (a
        message is stored however long that lasts, up to `give_up_after` seconds)."""
        give_up = time.monotonic() + give_up_after
        delay = 0.2
        while True:
            try:
                return await self.run(fn, *args, **kwargs)
            except OperationalError as exc:
                if time.monotonic() > give_up:
                    raise
                log.warning("db.retry", error=type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
