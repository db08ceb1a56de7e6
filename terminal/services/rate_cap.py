"""A cap on how often a kind of request may be sent: per key and in total, with pauses."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class RateCap:
    """At most `per_key` requests per key and `total` across keys in any `window` s.

    `acquire(key)` waits for a free slot and takes it; `pause(seconds)` holds every caller
    for that long (the venue answered 429). The clock and sleep are injectable.
    """

    def __init__(
        self,
        per_key: int,
        total: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._per_key = per_key
        self._total = total
        self._window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._sent_by_key: dict[str, deque[float]] = {}
        self._paused_until = float("-inf")

    async def acquire(self, key: str) -> None:
        """Wait until a request for `key` fits under the caps, then count it."""
        while (wait := self._wait(key)) > 0:
            await self._sleep(wait)
        now = self._clock()
        self._sent.append(now)
        self._sent_by_key.setdefault(key, deque()).append(now)

    def pause(self, seconds: float) -> None:
        """Hold every request for `seconds` from now (longer pauses win)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _wait(self, key: str) -> float:
        now = self._clock()
        horizon = now - self._window
        sent = self._sent
        while sent and sent[0] <= horizon:
            sent.popleft()
        mine = self._sent_by_key.get(key)
        while mine and mine[0] <= horizon:
            mine.popleft()
        if mine is not None and not mine:
            del self._sent_by_key[key]
        wait = self._paused_until - now
        if len(sent) >= self._total:
            wait = max(wait, sent[0] + self._window - now)
        if mine and len(mine) >= self._per_key:
            wait = max(wait, mine[0] + self._window - now)
        return wait
