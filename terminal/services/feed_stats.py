"""Feed statistics for the status bar: message counts, rate, last-message age, data age,
reconnects."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedStatsSnapshot:
    """One reading of the feed statistics."""

    by_channel: dict[str, int]
    by_family: dict[str, int]
    total: int
    msgs_per_s: float
    last_message_age_s: float | None
    reconnects: int
    data_age_s: float | None = None
    """How old market data was on arrival, by the exchange's timestamps (None: unknown)."""


class FeedStats:
    """Counts delivered messages per channel; the rate is over the last complete seconds."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        window_s: int = 5,
        *,
        data_age: Callable[[], float | None] | None = None,
    ) -> None:
        self._clock = clock
        self._data_age = data_age
        self._window = window_s
        self._by_channel: dict[str, int] = {}
        # Per-second counts: the current second in two attributes (the per-message path),
        # completed seconds as (second, count) pairs, newest last.
        self._second = -1
        self._count = 0
        self._done: deque[tuple[int, int]] = deque()
        self._last: float | None = None
        self.reconnects = 0

    def record(self, channel: str) -> None:
        """Count one message delivered on `channel` (runs per message: keep it lean)."""
        now = self._last = self._clock()
        counts = self._by_channel
        counts[channel] = counts.get(channel, 0) + 1
        second = int(now)
        if second == self._second:
            self._count += 1
            return
        if self._count:
            self._done.append((self._second, self._count))
            # The deque empties when the gap since the last message outgrows the window.
            while self._done and self._done[0][0] < second - self._window:
                self._done.popleft()
        self._second, self._count = second, 1

    def record_reconnect(self) -> None:
        """Count one reconnect of the feed."""
        self.reconnects += 1

    def snapshot(self) -> FeedStatsSnapshot:
        """The current figures."""
        now = self._clock()
        current = int(now)
        seconds = [*self._done, (self._second, self._count)]
        recent = sum(c for s, c in seconds if current - self._window <= s < current)
        by_family: Counter[str] = Counter()
        for channel, count in self._by_channel.items():
            by_family[channel.partition(".")[0]] += count
        return FeedStatsSnapshot(
            by_channel=dict(self._by_channel),
            by_family=dict(by_family),
            total=sum(self._by_channel.values()),
            msgs_per_s=recent / self._window,
            last_message_age_s=None if self._last is None else now - self._last,
            reconnects=self.reconnects,
            data_age_s=None if self._data_age is None else self._data_age(),
        )
