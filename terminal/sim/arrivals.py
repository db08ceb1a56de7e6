"""When each state-changing request reached the exchange (wall clock), for latency benches.

The terminal and the exchange share the machine's clock, so "click → request received"
is the arrival time here minus the click time there.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

KEEP = 1000


class Arrivals:
    """The latest non-GET `/v1` requests: (epoch seconds, method, path)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._log: deque[tuple[float, str, str]] = deque(maxlen=KEEP)

    def record(self, method: str, path: str) -> None:
        """Note a request as it arrives (reads are not noted)."""
        if method != "GET":
            self._log.append((self._clock(), method, path))

    def to_json(self) -> list[dict[str, object]]:
        """Every noted arrival, oldest first."""
        return [{"at": at, "method": m, "path": p} for at, m, p in self._log]
