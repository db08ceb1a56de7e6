"""Event-loop lag: how late a periodic wake-up runs compared with when it was due."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable


class LagStats:
    """Collected lag samples (milliseconds) with percentile summaries."""

    def __init__(self) -> None:
        self._samples: list[float] = []

    def add(self, lag_ms: float) -> None:
        """Record one sample; negative lag (an early wake-up) counts as zero."""
        self._samples.append(max(0.0, lag_ms))

    def __len__(self) -> int:
        return len(self._samples)

    def recent_max(self, n: int) -> float:
        """The worst of the last `n` samples (the status bar's figure)."""
        return max(self._samples[-n:], default=0.0)

    def percentile(self, p: float) -> float:
        """The p-th percentile (nearest rank), 0 before any sample."""
        if not self._samples:
            return 0.0
        ordered = sorted(self._samples)
        rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    def since(self, start: int) -> LagStats:
        """The samples from index `start` on (e.g. once the market is live)."""
        tail = LagStats()
        tail._samples = self._samples[start:]
        return tail

    def summary(self) -> dict[str, float]:
        """{"p50", "p99", "max"} in milliseconds, rounded to 0.01."""
        return {
            "p50": round(self.percentile(50), 2),
            "p99": round(self.percentile(99), 2),
            "max": round(max(self._samples, default=0.0), 2),
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
        self.stats.add((self._clock() - self._due) * 1000)
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
