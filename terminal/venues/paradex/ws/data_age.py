"""How old market data is when it arrives: the exchange's timestamps against its clock.

"Live" must mean fresh: a socket that delivers every message three seconds late is
connected but not live. The age of a message is the venue's time now (the local wall
clock corrected by the skew measured from `/system/time`) minus the exchange timestamp
it carries. One late message proves little (a snapshot may carry its book's last change),
so the figure is the freshest age seen over the current and the previous second.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from terminal.domain.marketdata import Bbo, BookUpdate, MarketSummary, Trade

VenueClockMs = Callable[[], int]

_EVENT_TIME: dict[type, Callable[[object], int]] = {
    BookUpdate: attrgetter("timestamp_ms"),
    Trade: attrgetter("created_at"),
    Bbo: attrgetter("timestamp_ms"),
    MarketSummary: attrgetter("timestamp_ms"),
}
"""Where each public event carries the exchange's time of the change it reports."""


class DataAge:
    """The freshest age (ms) of public market data over the last one to two seconds."""

    def __init__(self, venue_clock_ms: VenueClockMs) -> None:
        self._now_ms = venue_clock_ms
        self._second = -1
        self._current: int | None = None
        self._previous: int | None = None

    def record(self, event: object) -> None:
        """Note the arrival of `event` now (events without an exchange time are ignored)."""
        stamp = _EVENT_TIME.get(type(event))
        if stamp is None or (isinstance(event, BookUpdate) and event.is_snapshot):
            return
        now = self._now_ms()
        age = now - stamp(event)
        second = now // 1000
        if second != self._second:
            self._previous = self._current if second == self._second + 1 else None
            self._second, self._current = second, age
        elif self._current is None or age < self._current:
            self._current = age

    def seconds(self) -> float | None:
        """The freshest recent age in seconds (None before any timed event)."""
        ages = [a for a in (self._current, self._previous) if a is not None]
        return max(0, min(ages)) / 1000 if ages else None

    def reset(self) -> None:
        """Forget what was measured (a new connection starts afresh)."""
        self._second, self._current, self._previous = -1, None, None
