"""Order latency: each order's sign time and round trip, kept for the readout and the report."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LatencySummary:
    """Percentiles over the recent orders (ms); None before the first order."""

    count: int
    sign_p50: float | None
    sign_p99: float | None
    rtt_p50: float | None
    rtt_p99: float | None
    last_sign: float | None
    last_rtt: float | None

    def as_report(self) -> dict[str, object]:
        """The `orders` object of `--report`."""
        return {
            "count": self.count,
            "sign_ms": {"p50": self.sign_p50, "p99": self.sign_p99},
            "rtt_ms": {"p50": self.rtt_p50, "p99": self.rtt_p99},
        }


class OrderLatency:
    """The last `keep` orders' sign and round-trip times."""

    def __init__(self, keep: int = 1000) -> None:
        self.count = 0
        self._sign: deque[float] = deque(maxlen=keep)
        self._rtt: deque[float] = deque(maxlen=keep)

    def record(self, sign_ms: float, rtt_ms: float) -> None:
        """Add one acknowledged order."""
        self.count += 1
        self._sign.append(sign_ms)
        self._rtt.append(rtt_ms)

    def summary(self) -> LatencySummary:
        """Percentiles of what was recorded."""
        return LatencySummary(
            count=self.count,
            sign_p50=percentile(self._sign, 50),
            sign_p99=percentile(self._sign, 99),
            rtt_p50=percentile(self._rtt, 50),
            rtt_p99=percentile(self._rtt, 99),
            last_sign=self._sign[-1] if self._sign else None,
            last_rtt=self._rtt[-1] if self._rtt else None,
        )


def percentile(values: deque[float] | list[float], p: float) -> float | None:
    """The nearest-rank `p`th percentile, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return round(ordered[int(rank) - 1], 3)
