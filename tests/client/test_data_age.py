"""Live means fresh: data age from the exchange's timestamps, and STALE when data is late."""

from __future__ import annotations

import random
import time

from terminal.domain.marketdata import BookUpdate
from terminal.venues.paradex.ws.data_age import DataAge
from terminal.venues.paradex.ws.session import ConnectionState, WsSession
from tests.client.test_ws_session import trade

L = ConnectionState


class VenueClock:
    def __init__(self) -> None:
        self.ms = 1_700_000_000_000

    def __call__(self) -> int:
        return self.ms


def book(ts: int, snapshot: bool = False) -> BookUpdate:
    return BookUpdate("BTC-USD-PERP", 1, snapshot, [], [], ts)


def test_the_freshest_age_of_the_last_two_seconds() -> None:
    clock = VenueClock()
    ages = DataAge(clock)
    assert ages.seconds() is None
    ages.record(book(clock.ms - 90_000, snapshot=True))  # a snapshot carries old news
    ages.record(object())  # no exchange time
    assert ages.seconds() is None
    ages.record(book(clock.ms - 3_400))
    ages.record(book(clock.ms - 3_100))
    assert ages.seconds() == 3.1
    clock.ms += 1_000  # the next second: the previous one still counts
    ages.record(book(clock.ms - 200))
    assert ages.seconds() == 0.2
    clock.ms += 1_000
    ages.record(book(clock.ms - 2_500))
    assert ages.seconds() == 0.2
    clock.ms += 1_000
    ages.record(book(clock.ms - 2_600))
    assert ages.seconds() == 2.5
    clock.ms += 5_000  # after a gap of seconds, only the new second counts
    ages.record(book(clock.ms - 4_000))
    assert ages.seconds() == 4.0
    ages.record(book(clock.ms + 50))  # a stamp from the future (skew noise): not negative
    assert ages.seconds() == 0.0
    ages.reset()
    assert ages.seconds() is None


async def test_late_data_turns_the_session_stale_and_fresh_data_live(ws_venue, signal) -> None:
    # Regression: with 3 s of WebSocket delay the state said LIVE ("last 0.0s") while the
    # newest trade was 3.4 s old.
    session = WsSession(
        ws_venue.url,
        backoff_initial=0.01,
        rng=random.Random(2),
        venue_clock_ms=lambda: int(time.time() * 1000),
        max_data_age=1.0,
    )
    states = signal.recorder()
    session.add_state_listener(states)
    try:
        await session.start()
        got = signal.recorder()
        await session.subscribe("trades.BTC-USD-PERP", got)

        def stamped(age_ms: int) -> str:
            data = {**trade("BTC-USD-PERP"), "created_at": int(time.time() * 1000) - age_ms}
            return ws_venue.notification("trades.BTC-USD-PERP", data)

        await ws_venue.push(stamped(3_400))
        await signal.until(lambda: session.state is L.STALE)
        state, reason = states.items[-1]
        assert state is L.STALE and reason.startswith("data 3.") and reason.endswith(" s old")
        age = session.data_age()
        assert age is not None and 3.4 <= age < 3.9
        # Late messages keep coming: still STALE (a message alone is not freshness).
        await ws_venue.push(stamped(3_300))
        await signal.until(lambda: len(got.items) == 2)
        assert session.state is L.STALE
        await ws_venue.push(stamped(10))
        await signal.until(lambda: session.state is L.LIVE)
        assert states.items[-1] == (L.LIVE, "data fresh again")
        assert session.data_age() is not None and session.data_age() < 1.0
    finally:
        await session.close()


async def test_without_a_venue_clock_nothing_is_measured(harness, ws_venue, signal) -> None:
    await harness.session.start()
    got = signal.recorder()
    await harness.session.subscribe("trades.BTC-USD-PERP", got)
    await ws_venue.push(ws_venue.notification("trades.BTC-USD-PERP", trade("BTC-USD-PERP")))
    await signal.until(lambda: len(got.items) == 1)
    assert harness.session.data_age() is None and harness.session.state is L.LIVE
