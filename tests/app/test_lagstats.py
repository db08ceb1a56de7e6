"""Loop-lag statistics stay exact to the report's 0.01 ms in memory that does not grow."""

from __future__ import annotations

import sys

from terminal.app.looplag import LagStats


def test_percentiles_to_the_hundredth_of_a_millisecond() -> None:
    stats = LagStats()
    for value in (0.004, 1.234, 2.5, 3.0, 7.891):
        stats.add(value)
    assert stats.percentile(50) == 2.5
    assert stats.summary() == {"p50": 2.5, "p99": 7.89, "p99.9": 7.89, "max": 7.89, "samples": 5}


def test_stalls_beyond_the_bins_are_kept_exactly() -> None:
    stats = LagStats()
    for value in (1.0, 2.0, 1500.25, 3200.5):
        stats.add(value)
    assert stats.percentile(100) == 3200.5
    assert stats.percentile(60) == 1500.25
    assert stats.summary()["max"] == 3200.5


def test_a_fork_sees_only_later_samples() -> None:
    stats = LagStats()
    stats.add(90.0)
    live = stats.fork()
    stats.add(1.0)
    stats.add(2.0)
    assert len(stats) == 3 and len(live) == 2
    assert live.summary() == {"p50": 2.0, "p99": 2.0, "p99.9": 2.0, "max": 2.0, "samples": 2}
    assert live.percentile(25) == 1.0
    assert stats.summary()["max"] == 90.0


def test_p99_9_separates_the_worst_few_of_thousands() -> None:
    stats = LagStats()
    for _ in range(9_990):
        stats.add(1.0)
    for value in range(1, 11):
        stats.add(100.0 + value)
    assert stats.percentile(99) == 1.0
    assert stats.percentile(99.9) == 101.0
    assert stats.summary()["max"] == 110.0


def test_a_trading_day_of_samples_does_not_grow_memory() -> None:
    stats = LagStats()
    for i in range(1_000):
        stats.add(i / 100)
    before = sys.getsizeof(stats._bins) + sys.getsizeof(stats._recent)
    for i in range(200_000):  # ~2.8 hours at 20 samples a second
        stats.add((i % 5000) / 100)
    after = sys.getsizeof(stats._bins) + sys.getsizeof(stats._recent)
    assert after == before
    assert stats._long == []
    assert len(stats) == 201_000
    assert stats.recent_max(20) == max((i % 5000) / 100 for i in range(199_980, 200_000))


def test_a_stall_that_began_before_the_fork_stays_out_of_it() -> None:
    """The report's live window starts at mark_live: a wake-up due before it, delayed past
    it by a start-up stall (the chart's import), is start-up's, not the steady state's."""
    stats = LagStats()
    live = stats.fork(since=10.0)
    stats.add(370.0, due=9.8)  # due before the mark, recorded after it
    stats.add(2.0, due=10.2)
    assert stats.summary()["max"] == 370.0
    assert live.summary()["max"] == 2.0 and live.summary()["samples"] == 1
