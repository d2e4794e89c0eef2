"""The thread pools that keep blocking work off the event loop: the cap on what may wait, and
the hashing pool running below the conversations."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sys
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from sms_gateway.services.blocking import BusyError, Offloader

T = TypeVar("T")


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on a thread of its own: a session-scoped Playwright browser in the same
    pytest run keeps an event loop running on the main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=20)


def _own_niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="nice values per thread are Linux's")
def test_a_niced_pool_runs_its_work_below_the_rest_and_leaves_the_loop_alone() -> None:
    async def scenario() -> tuple[int, int, int]:
        low, normal = Offloader("low", 1, niceness=19), Offloader("normal", 1)
        try:
            return (
                await low.run(_own_niceness),
                await normal.run(_own_niceness),
                _own_niceness(),
            )
        finally:
            low.shutdown()
            normal.shutdown()

    low, normal, loop = run_apart(scenario())
    base = _own_niceness()
    assert low == 19 and normal == base and loop == base


def test_work_beyond_the_threads_and_the_waiting_room_is_refused_at_once() -> None:
    release = threading.Event()

    async def scenario() -> tuple[list[object], int]:
        pool = Offloader("capped", 1, max_waiting=1)
        try:
            held = [asyncio.create_task(pool.run(release.wait, 5)) for _ in range(2)]
            await asyncio.sleep(0.05)
            with pytest.raises(BusyError):
                await pool.run(release.wait, 5)
            release.set()
            return list(await asyncio.gather(*held)), pool.pending
        finally:
            pool.shutdown()

    done, pending = run_apart(scenario())
    assert done == [True, True] and pending == 0
