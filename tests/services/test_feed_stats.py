"""Feed statistics with an injected clock."""

from __future__ import annotations

from terminal.services.feed_stats import FeedStats


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_counts_and_age() -> None:
    clock = Clock()
    stats = FeedStats(clock, window_s=2)
    assert stats.snapshot().last_message_age_s is None
    for _ in range(10):
        stats.record("trades.BTC-USD-PERP")
    clock.now = 101.5
    for _ in range(6):
        stats.record("order_book.BTC-USD-PERP.deltas")
    clock.now = 102.25
    stats.record_reconnect()
    snap = stats.snapshot()
    # Seconds 100 and 101 are complete: (10 + 6) / 2.
    assert snap.msgs_per_s == 8.0
    assert snap.total == 16
    assert snap.by_family == {"trades": 10, "order_book": 6}
    assert snap.last_message_age_s == 0.75
    assert snap.reconnects == 1
    clock.now = 110.0
    assert stats.snapshot().msgs_per_s == 0.0


def test_a_silence_longer_than_the_window_does_not_break_recording() -> None:
    # Regression (issue 9): after > window_s of silence the trimming loop emptied the
    # deque and then read [0]: IndexError on every later message.
    clock = Clock()
    stats = FeedStats(clock, window_s=5)
    stats.record("trades.BTC-USD-PERP")
    clock.now = 101.0
    stats.record("trades.BTC-USD-PERP")
    clock.now = 107.5
    stats.record("trades.BTC-USD-PERP")
    clock.now = 108.2
    stats.record("trades.BTC-USD-PERP")
    clock.now = 109.0
    snap = stats.snapshot()
    assert snap.total == 4
    # Seconds 107 and 108 are the complete ones inside [104, 109).
    assert snap.msgs_per_s == 2 / 5
    assert snap.last_message_age_s is not None and abs(snap.last_message_age_s - 0.8) < 1e-9
