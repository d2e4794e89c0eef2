"""A wait that grows with failed sign-ins, instead of a hard lock (issue 11).

A hard lock after five failures lets anyone lock an advocate out on purpose by typing their
name five times, and a different answer for a locked account tells which names exist. Here
each failure makes the next attempt from the same place wait longer, counted per account and
address together and per address alone: a stranger guessing at one name slows only
themselves, and the advocate signing in from their own desk is not locked out. An attempt
made before its wait is over is refused with the same answer as a wrong password (and
audited), without checking the password.

In memory, per gateway process (like the rate limits' memory storage); the global sign-in
rate limit bounds what many processes or addresses can try together.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

FREE_FAILURES = 3  # typos: no wait for the first few, for one account from one place
# An address alone (a helpline's office behind one NAT: every advocate's typos count together)
# waits only past many failures in a row: a stranger trying names, not a colleague's typo.
FREE_FAILURES_PER_ADDRESS = 10
FIRST_WAIT_SECONDS = 2.0  # then 2, 4, 8... seconds
MAX_WAIT_SECONDS = 300.0
FORGET_SECONDS = 3600.0  # a key with no failure for an hour starts again from nothing


class SignInDelays:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (failures, last failure)

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return (f"account:{username.casefold()}|{address}", f"address:{address}")

    def wait_left(self, keys: Iterable[str]) -> float:
        """Seconds until these keys may try again (0: now)."""
        now = self._clock()
        with self._lock:
            left = 0.0
            for key in keys:
                failures, last = self._failures.get(key, (0, now))
                free = FREE_FAILURES_PER_ADDRESS if key.startswith("address:") else FREE_FAILURES
                left = max(left, last + wait_after(failures, free) - now)
            return left

    def failed(self, keys: Iterable[str]) -> None:
        now = self._clock()
        with self._lock:
            self._sweep(now)
            for key in keys:
                failures, last = self._failures.get(key, (0, now))
                if now - last > FORGET_SECONDS:
                    failures = 0
                self._failures[key] = (failures + 1, now)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _sweep(self, now: float) -> None:
        if len(self._failures) < 1000:
            return
        for key, (_failures, last) in list(self._failures.items()):
            if now - last > FORGET_SECONDS:
                del self._failures[key]


def wait_after(failures: int, free: int = FREE_FAILURES) -> float:
    """How long the next attempt waits after `failures` failures in a row."""
    if failures <= free:
        return 0.0
    return float(min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2.0 ** (failures - free - 1)))
