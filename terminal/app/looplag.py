"""Event-loop lag: how late a periodic wake-up runs compared with when it was due."""

from __future__ import annotations

import gc
import time
from array import array
from collections import deque
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # main.py imports this module before asyncio, to launch the exchange sooner
    import asyncio

_RECENT = 256  # samples kept for the status bar's recent worst (1.28 s at 200 Hz)


class LagStats:
    """Loop-lag samples (milliseconds) with percentile summaries, in bounded memory.

    The terminal runs all day at 20 samples a second: rather than keep every sample, each
    is counted in a 0.01 ms bin (the report's resolution) up to `_BINS_MS`; the rare
    longer stalls are kept exactly. `fork(since)` starts a second summary that also receives
    every later sample due from `since` on (the report's "since the panels were live"
    figure: a stall that began before that belongs to start-up).
    """

    _RESOLUTION = 100  # bins per millisecond
    _BINS_MS = 1000

    def __init__(self) -> None:
        self._bins = array("L", [0]) * (self._BINS_MS * self._RESOLUTION + 1)
        self._long: list[float] = []
        self._count = 0
        self._max = 0.0
        self._recent: deque[float] = deque(maxlen=_RECENT)
        self._forks: list[tuple[LagStats, float]] = []

    def add(self, lag_ms: float, due: float = float("inf")) -> None:
        """Record one sample of a wake-up due at `due` (perf_counter seconds); negative
        lag (an early wake-up) counts as zero."""
        lag_ms = max(0.0, lag_ms)
        self._count += 1
        self._max = max(self._max, lag_ms)
        self._recent.append(lag_ms)
        index = round(lag_ms * self._RESOLUTION)
        if index < len(self._bins):
            self._bins[index] += 1
        else:
            self._long.append(lag_ms)
        for fork, since in self._forks:
            if due >= since:
                fork.add(lag_ms, due)

    def __len__(self) -> int:
        return self._count

    def fork(self, since: float = float("-inf")) -> LagStats:
        """A new, empty summary that receives every later sample here of a wake-up due at
        or after `since` (perf_counter seconds)."""
        child = LagStats()
        self._forks.append((child, since))
        return child

    def recent_max(self, n: int) -> float:
        """The worst of the last `n` samples (n ≤ 256; the status bar's figure)."""
        recent = self._recent
        return max(islice(reversed(recent), n), default=0.0)

    def percentile(self, p: float) -> float:
        """The p-th percentile (nearest rank, to 0.01 ms), 0 before any sample."""
        if not self._count:
            return 0.0
        rank = min(self._count, max(1, round(p / 100 * self._count + 0.5)))
        seen = 0
        for index, count in enumerate(self._bins):
            seen += count
            if seen >= rank:
                return index / self._RESOLUTION
        return sorted(self._long)[rank - seen - 1]

    def summary(self) -> dict[str, float]:
        """{"p50", "p99", "p99.9", "max"} in milliseconds, rounded to 0.01, and the count."""
        return {
            "p50": round(self.percentile(50), 2),
            "p99": round(self.percentile(99), 2),
            "p99.9": round(self.percentile(99.9), 2),
            "max": round(self._max, 2),
            "samples": self._count,
        }


class LoopLagMonitor:
    """Schedules a wake-up every `interval_ms` on the asyncio loop and records its lateness."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        interval_ms: float = 50.0,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._loop = loop
        self._interval = interval_ms / 1000
        self._clock = clock
        self._due = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self.stats = LagStats()

    @property
    def running(self) -> bool:
        """Whether a wake-up is scheduled."""
        return self._handle is not None

    def start(self) -> None:
        """Begin sampling."""
        if self._handle is None:
            self._schedule()

    def stop(self) -> None:
        """Stop sampling (keeps the samples)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self) -> None:
        self._due = self._clock() + self._interval
        self._handle = self._loop.call_later(self._interval, self._wake)

    def _wake(self) -> None:
        self.stats.add((self._clock() - self._due) * 1000, self._due)
        self._schedule()


def freeze_startup_heap() -> int:
    """Hide every object alive now from the cyclic collector; returns how many are hidden.

    Call once, when start-up is done (panels built and fed). A full collection otherwise
    walks the whole start-up heap (Qt wrappers, modules, pyqtgraph items: ~100k objects)
    and stalls the event loop 50-120 ms every few seconds under a 2k msgs/s feed; frozen,
    later full collections only walk what was made since. Garbage alive at the call is kept.
    """
    gc.freeze()
    return gc.get_freeze_count()
