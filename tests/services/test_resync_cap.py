"""Book resyncs are rate-capped per market and in total, and pause under 429."""

from __future__ import annotations

import asyncio

from terminal.domain.marketdata import BookUpdate
from terminal.domain.streams import Stream, StreamKind
from terminal.domain.units import SCALE
from terminal.services.market_data import MarketDataService
from terminal.services.rate_cap import RateCap
from terminal.venues.paradex.channels import channel_name
from terminal.venues.paradex.errors import RateLimited, ServerError

MARKETS = [f"M{n}-USD-PERP" for n in range(6)]


class Clock:
    """A monotonic clock that only moves when the cap sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class Snapshots:
    """`book_snapshot` that records (time, market) and answers with `answer(n)`."""

    def __init__(self, clock: Clock, answer) -> None:  # type: ignore[no-untyped-def]
        self.clock = clock
        self.answer = answer
        self.calls: list[tuple[float, str]] = []
        self.answered: list[tuple[float, int]] = []
        """(time, calls started so far) at each answer."""
        self.enough = asyncio.Event()

    async def book_snapshot(self, market: str, depth: int) -> BookUpdate:
        self.calls.append((self.clock.now, market))
        if len(self.calls) >= 60:
            self.enough.set()
        n = len(self.calls)
        await asyncio.sleep(0)
        self.answered.append((self.clock.now, len(self.calls)))
        raise self.answer(n)


def gap(market: str) -> list[BookUpdate]:
    level = [(100 * SCALE, SCALE)]
    return [
        BookUpdate(market, 10, True, level, level, 10),
        BookUpdate(market, 12, False, level, [], 12),  # 11 is missing
    ]


async def run(session, connection, supervisor, answer) -> Snapshots:  # type: ignore[no-untyped-def]
    clock = Clock()
    snapshots = Snapshots(clock, answer)
    connection.venue.book_snapshot = snapshots.book_snapshot
    cap = RateCap(2, 5, 1.0, clock=clock, sleep=clock.sleep)
    md = MarketDataService(connection, supervisor, resync_backoff=(0.0, 0.0), resync_cap=cap)
    leases = [md.watch_book(m, lambda _b: None) for m in MARKETS]
    for lease in leases:
        await lease.wait_ready()
    for market in MARKETS:
        for update in gap(market):
            session.push(channel_name(Stream(StreamKind.BOOK, market)), update)
    await asyncio.wait_for(snapshots.enough.wait(), 5)
    for lease in leases:
        lease.release()
    return snapshots


def most_in_a_window(times: list[float], window: float) -> int:
    return max(sum(1 for u in times if t <= u < t + window) for t in times)


async def test_snapshots_stay_under_the_per_market_and_total_caps(
    session, connection, supervisor
) -> None:
    # Regression: every failed snapshot was retried after the backoff alone, for every
    # market at once (45 REST snapshots in 5 s under gaps).
    snaps = await run(
        session, connection, supervisor, lambda n: ServerError("UNAVAILABLE", "busy", 503)
    )
    times = [t for t, _ in snaps.calls]
    assert most_in_a_window(times, 1.0) <= 5
    for market in MARKETS:
        assert most_in_a_window([t for t, m in snaps.calls if m == market], 1.0) <= 2
    # Fair enough that every market is served.
    assert {m for _, m in snaps.calls} == set(MARKETS)


async def test_a_429_pauses_every_resync_for_the_wait_asked(
    session, connection, supervisor
) -> None:
    def answer(n: int) -> Exception:
        if n == 3:
            return RateLimited("RATE_LIMIT", "slow down", 429, retry_after=7.0)
        return ServerError("UNAVAILABLE", "busy", 503)

    snaps = await run(session, connection, supervisor, answer)
    # The answers come back in call order: the third is the 429.
    limited_at, started_before = snaps.answered[2]
    after = [t for t, _ in snaps.calls[started_before:]]
    # Nothing goes out until the pause ends (without it: one second later).
    assert after and min(after) >= limited_at + 7.0
