"""Books stay truthful: live from the feed, stale at a gap or a disconnect, live again after."""

from __future__ import annotations

import asyncio

from terminal.domain.connection import ConnectionState
from terminal.domain.marketdata import BookUpdate
from terminal.domain.orderbook import OrderBook
from terminal.domain.streams import Stream, StreamKind
from terminal.domain.units import SCALE
from terminal.services.market_data import MarketDataService
from terminal.venues.paradex.channels import channel_name
from terminal.venues.paradex.errors import ServerError

M = "BTC-USD-PERP"
CH = channel_name(Stream(StreamKind.BOOK, M))


def snap(seq: int, bid: int = 100, ask: int = 101) -> BookUpdate:
    return BookUpdate(M, seq, True, [(bid * SCALE, SCALE)], [(ask * SCALE, SCALE)], seq)


def delta(seq: int, bid: int, size: int = 2) -> BookUpdate:
    return BookUpdate(M, seq, False, [(bid * SCALE, size * SCALE)], [], seq)


class Recorder:
    """Records (stale, seq_no, best bid price) at each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[bool, int | None, int | None]] = []
        self.changed = asyncio.Event()

    def __call__(self, book: OrderBook) -> None:
        best = book.best_bid()
        self.calls.append((book.stale, book.seq_no, best[0] // SCALE if best else None))
        self.changed.set()

    async def wait_for(self, predicate, limit: float = 2.0) -> None:  # type: ignore[no-untyped-def]
        async with asyncio.timeout(limit):
            while not (self.calls and predicate(self.calls[-1])):
                self.changed.clear()
                await self.changed.wait()


async def test_two_panels_share_one_book_and_one_subscription(
    session, connection, supervisor
) -> None:
    md = MarketDataService(connection, supervisor)
    ladder, depth = Recorder(), Recorder()
    lease_a = md.watch_book(M, ladder)
    await lease_a.wait_ready()
    session.push(CH, snap(10))
    session.push(CH, delta(11, 99))
    lease_b = md.watch_book(M, depth)  # the book is live: told at once
    await lease_b.wait_ready()
    assert session.count("subscribe", CH) == 1
    assert ladder.calls == [(False, 10, 100), (False, 11, 100)]
    assert depth.calls == [(False, 11, 100)]
    session.push(CH, delta(12, 105))
    assert ladder.calls[-1] == depth.calls[-1] == (False, 12, 105)
    assert md.book(M) is not None and md.book(M).seq_no == 12  # type: ignore[union-attr]
    assert md.stats().by_family == {"order_book": 3}


async def test_gap_marks_stale_once_then_resyncs_from_rest(session, connection, supervisor) -> None:
    md = MarketDataService(connection, supervisor)
    ladder = Recorder()
    await md.watch_book(M, ladder).wait_ready()
    session.push(CH, snap(10))
    connection.venue.snapshots.append(snap(13, bid=90))
    session.push(CH, delta(12, 95))  # 11 is missing
    session.push(CH, delta(13, 96))  # buffered while stale: no call
    # Told once, at once, with the old levels flagged stale.
    assert ladder.calls == [(False, 10, 100), (True, 10, 100)]
    session.push(CH, delta(14, 97))  # newer than the snapshot: replayed after it
    await ladder.wait_for(lambda c: not c[0])
    assert connection.venue.snapshot_calls == 1
    book = md.book(M)
    assert book is not None and not book.stale and book.seq_no == 14
    session.push(CH, delta(15, 98))
    assert ladder.calls[-1] == (False, 15, 98)


async def test_resync_retries_until_the_snapshot_connects(session, connection, supervisor) -> None:
    md = MarketDataService(connection, supervisor, resync_backoff=(0.001, 0.002))
    ladder = Recorder()
    await md.watch_book(M, ladder).wait_ready()
    session.push(CH, snap(10))
    # The venue fails once, then sends a snapshot older than the buffered deltas (a gap
    # remains after it), then a good one.
    connection.venue.snapshots += [
        ServerError("SERVICE_UNAVAILABLE", "busy", 503),
        snap(11),
        snap(20, bid=80),
    ]
    session.push(CH, delta(13, 95))
    await ladder.wait_for(lambda c: not c[0])
    assert connection.venue.snapshot_calls == 3
    assert ladder.calls[-1] == (False, 20, 80)


async def test_disconnect_clears_the_book_and_the_next_snapshot_revives_it(
    session, connection, supervisor
) -> None:
    md = MarketDataService(connection, supervisor)
    ladder = Recorder()
    await md.watch_book(M, ladder).wait_ready()
    session.push(CH, snap(10))
    connection.disconnect("server closed")
    assert ladder.calls[-1] == (True, None, None)
    book = md.book(M)
    assert book is not None and "disconnected" in book.stale_reason
    session.push(CH, snap(50, bid=110))  # the resubscribed channel's first message
    assert ladder.calls[-1] == (False, 50, 110)
    assert connection.venue.snapshot_calls == 0


async def test_rewatching_after_release_does_not_show_old_data_as_live(
    session, connection, supervisor, settled
) -> None:
    md = MarketDataService(connection, supervisor)
    first = Recorder()
    lease = md.watch_book(M, first)
    await lease.wait_ready()
    session.push(CH, snap(10))
    lease.release()
    await settled(supervisor)
    assert session.count("unsubscribe", CH) == 1
    second = Recorder()
    await md.watch_book(M, second).wait_ready()
    assert second.calls == []
    book = md.book(M)
    assert book is not None and book.stale
    session.push(CH, snap(30))
    assert second.calls == [(False, 30, 100)]
    assert first.calls == [(False, 10, 100)]


async def test_trades_bbo_and_summaries_use_their_channels(session, connection, supervisor) -> None:
    md = MarketDataService(connection, supervisor)
    got: list[object] = []
    for lease in (
        md.watch_trades(M, got.append),
        md.watch_bbo(M, got.append),
        md.watch_summaries(got.append),
    ):
        await lease.wait_ready()
    assert set(session.callbacks) == {f"trades.{M}", f"bbo.{M}", "markets_summary.ALL"}
    session.push(f"trades.{M}", "t")
    session.push("markets_summary.ALL", "s")
    assert got == ["t", "s"]


async def test_a_silent_feed_marks_the_book_stale_until_the_sequence_continues(
    session, connection, supervisor
) -> None:
    md = MarketDataService(connection, supervisor)
    ladder = Recorder()
    await md.watch_book(M, ladder).wait_ready()
    session.push(CH, snap(10))
    session.push(CH, delta(11, 99))
    connection.set_state(ConnectionState.STALE, "no message for 10.2 s")
    assert ladder.calls[-1] == (True, 11, 100)  # levels kept, shown stale
    book = md.book(M)
    assert book is not None and book.stale_reason == "feed silent: no message for 10.2 s"
    connection.set_state(ConnectionState.LIVE, "messages again")  # e.g. a trade arrived
    assert book.stale
    session.push(CH, delta(11, 99))  # a late duplicate: still stale, nobody told
    assert ladder.calls[-1] == (True, 11, 100) and book.stale
    session.push(CH, delta(12, 105))  # continues the sequence: live again
    assert ladder.calls[-1] == (False, 12, 105)
    assert connection.venue.snapshot_calls == 0


async def test_a_silent_feed_that_resumes_past_a_gap_resyncs(
    session, connection, supervisor
) -> None:
    md = MarketDataService(connection, supervisor)
    ladder = Recorder()
    await md.watch_book(M, ladder).wait_ready()
    session.push(CH, snap(10))
    connection.set_state(ConnectionState.STALE, "")
    assert ladder.calls[-1] == (True, 10, 100)
    connection.venue.snapshots.append(snap(20, bid=90))
    session.push(CH, delta(15, 95))  # 11..14 were lost while silent
    assert ladder.calls[-1][0] is True
    await ladder.wait_for(lambda c: not c[0])
    assert ladder.calls[-1] == (False, 20, 90)
    assert connection.venue.snapshot_calls == 1
