"""End to end over loopback: the real client against the embedded exchange.

A demo connection (ephemeral key, onboarding, JWT), a live book, shared leases, a forced
seq gap that resyncs, and a dropped socket that comes back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from terminal.domain.connection import ConnectionState
from terminal.domain.marketdata import MarketSummary, Trade
from terminal.domain.orderbook import OrderBook
from terminal.domain.streams import Stream, StreamKind
from terminal.services.account_data import AccountDataService
from terminal.services.connection import VenueConnection
from terminal.services.market_data import MarketDataService
from terminal.services.supervisor import Supervisor
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.channels import channel_name
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.venue import ParadexVenue

M = "BTC-USD-PERP"
LIMIT_S = 15.0


BOOK = channel_name(Stream(StreamKind.BOOK, M))


async def open_demo(
    urls: Any, key: int, supervisor: Supervisor, **ws_options: Any
) -> VenueConnection:
    """A connection to the embedded exchange, logged in with `key`."""
    venue = await ParadexVenue.open(urls.rest, urls.ws, private_key=key, ws_options=ws_options)
    return VenueConnection(venue, supervisor, trading=venue.trading)


class Live:
    """An exchange, a supervisor and an open demo connection."""

    def __init__(self, rest_url: str, conn: VenueConnection, supervisor: Supervisor) -> None:
        self.admin = rest_url.removesuffix("/v1") + "/_sim/faults"
        self.conn = conn
        self.supervisor = supervisor
        self.states: list[ConnectionState] = []
        self._changed = asyncio.Event()
        conn.add_state_listener(self._on_state)

    def _on_state(self, state: ConnectionState, _reason: str) -> None:
        self.states.append(state)
        self._changed.set()

    async def until(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate()` holds after a connection state change."""
        async with asyncio.timeout(LIMIT_S):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    async def fault(self, **spec: Any) -> None:
        async with httpx.AsyncClient() as client:
            answer = await client.post(self.admin, json=spec)
            answer.raise_for_status()


@pytest.fixture
async def live() -> AsyncIterator[Live]:
    async with run_exchange(seed=7, rate=400.0) as urls:
        supervisor = Supervisor()
        conn = await open_demo(
            urls, generate_private_key(), supervisor, backoff_initial=0.05, backoff_max=0.2
        )
        try:
            yield Live(urls.rest, conn, supervisor)
        finally:
            await supervisor.shutdown(timeout=5)
    assert conn.state is ConnectionState.CLOSED


class Books:
    """Records what a book listener saw, and lets a test wait for a condition on it."""

    def __init__(self) -> None:
        self.seen: list[tuple[bool, str, int | None]] = []
        self.book: OrderBook | None = None
        self._event = asyncio.Event()

    def __call__(self, book: OrderBook) -> None:
        self.book = book
        self.seen.append((book.stale, book.stale_reason, book.seq_no))
        self._event.set()

    async def until(self, predicate: Callable[[OrderBook], bool]) -> None:
        async with asyncio.timeout(LIMIT_S):
            while self.book is None or not predicate(self.book):
                self._event.clear()
                await self._event.wait()


def is_live(book: OrderBook) -> bool:
    return not book.stale and book.best_bid() is not None and book.best_ask() is not None


async def test_demo_connection_and_a_live_book(live: Live) -> None:
    conn = live.conn
    assert conn.trading is not None and int(conn.trading.account_label, 16) > 0
    assert M in conn.instruments
    assert abs(conn.clock_skew_ms) < 5_000
    assert "key" not in repr(conn).lower()
    md = MarketDataService(conn, live.supervisor)
    ladder = Books()
    md.watch_book(M, ladder)
    await ladder.until(is_live)
    first_seq = ladder.book.seq_no if ladder.book else None
    await ladder.until(lambda b: is_live(b) and b.seq_no != first_seq)
    assert md.stats().by_family.get("order_book", 0) >= 2

    summaries: asyncio.Queue[MarketSummary] = asyncio.Queue()
    trades: asyncio.Queue[Trade] = asyncio.Queue()
    md.watch_summaries(summaries.put_nowait)
    md.watch_trades(M, trades.put_nowait)
    summary = await asyncio.wait_for(summaries.get(), LIMIT_S)
    assert summary.market in conn.instruments
    trade = await asyncio.wait_for(trades.get(), LIMIT_S)
    assert trade.market == M and trade.price > 0
    history = await md.recent_trades(M, 5)
    assert 0 < len(history) <= 5
    now_ms = history[0].created_at
    candles = await md.klines(M, 1, now_ms - 3_600_000, now_ms)
    assert candles and candles[0].high >= candles[0].low


async def test_the_key_stays_out_of_logs_and_reprs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    key = generate_private_key()
    async with run_exchange(seed=2, rate=50.0) as urls:
        supervisor = Supervisor()
        conn = await open_demo(urls, key, supervisor)
        venue = conn.venue
        assert isinstance(venue, ParadexVenue)
        texts = [caplog.text, repr(conn), repr(venue.rest.jwt), repr(vars(conn)), repr(venue)]
        await supervisor.shutdown()
    for text in texts:
        assert hex(key) not in text and str(key) not in text and hex(key)[2:] not in text


async def test_two_panels_share_one_live_channel(live: Live, settled) -> None:
    md = MarketDataService(live.conn, live.supervisor)
    a, b = Books(), Books()
    lease_a = md.watch_book(M, a)
    lease_b = md.watch_book(M, b)
    await asyncio.wait_for(asyncio.gather(lease_a.wait_ready(), lease_b.wait_ready()), LIMIT_S)
    assert live.conn.subscriptions.lease_count(BOOK) == 2
    await a.until(is_live)
    await b.until(lambda book: book is a.book and is_live(book))
    lease_a.release()
    assert live.conn.subscriptions.is_subscribed(BOOK)
    lease_b.release()
    await settled(live.supervisor, LIMIT_S)
    assert not live.conn.subscriptions.is_subscribed(BOOK)


async def test_a_dropped_delta_marks_the_book_stale_then_it_resyncs(live: Live) -> None:
    md = MarketDataService(live.conn, live.supervisor)
    ladder = Books()
    md.watch_book(M, ladder)
    await ladder.until(is_live)
    await live.fault(drop={"order_book": 0.5})
    await ladder.until(lambda b: b.stale and "gap" in b.stale_reason)
    await live.fault(drop={})
    await ladder.until(is_live)
    assert any(stale and "gap" in reason for stale, reason, _ in ladder.seen)


async def test_a_dropped_socket_shows_stale_then_live_after_reconnect(live: Live) -> None:
    md = MarketDataService(live.conn, live.supervisor)
    account = AccountDataService(live.conn, live.supervisor)
    await asyncio.wait_for(account.start(), LIMIT_S)

    async def note_reconcile() -> None:
        live.states.append("reconciled")  # type: ignore[arg-type]

    live.conn.add_reconciler(note_reconcile)
    assert account.live and account.summary is not None
    ladder = Books()
    md.watch_book(M, ladder)
    await ladder.until(is_live)
    await live.fault(disconnect=True)
    await ladder.until(lambda b: b.stale and "disconnected" in b.stale_reason)
    await ladder.until(is_live)
    await live.until(lambda: live.conn.state is ConnectionState.LIVE)
    assert account.live
    after_drop = live.states[live.states.index(ConnectionState.RECONNECTING) :]
    # LIVE is reported only once account data has been re-read over REST.
    assert after_drop[-2:] == ["reconciled", ConnectionState.LIVE]
    assert after_drop.count(ConnectionState.LIVE) == 1
    assert md.stats().reconnects == 1


async def test_a_subscribe_cut_off_by_a_drop_is_completed_after_the_reconnect(
    live: Live,
) -> None:
    md = MarketDataService(live.conn, live.supervisor)
    await live.fault(ws_delay_ms=400)  # the ack is still on its way when the socket drops
    trades: asyncio.Queue[Trade] = asyncio.Queue()
    lease = md.watch_trades(M, trades.put_nowait)
    await live.fault(disconnect=True, ws_delay_ms=0)
    await asyncio.wait_for(lease.wait_ready(), LIMIT_S)
    assert lease.error is None and live.conn.subscriptions.is_subscribed(f"trades.{M}")
    trade = await asyncio.wait_for(trades.get(), LIMIT_S)
    assert trade.market == M
    assert live.conn.subscriptions.problems() == {}
    assert md.stats().reconnects == 1


async def test_late_data_shows_stale_everywhere_then_live_again() -> None:
    # Issue 9: with WebSocket delay the feed said LIVE while its data was seconds old.
    # Data-age staleness goes through the connection's STALE, the one path the books
    # (ladder, chart) and the status bar all follow.
    async with run_exchange(seed=8, rate=300.0) as urls:
        supervisor = Supervisor()
        conn = await open_demo(urls, generate_private_key(), supervisor, max_data_age=1.0)
        live = Live(urls.rest, conn, supervisor)
        try:
            md = MarketDataService(conn, supervisor)
            ladder = Books()
            md.watch_book(M, ladder)
            await ladder.until(is_live)
            # Checked on every book update (the age moves with data, not with states).
            await ladder.until(lambda _b: (md.stats().data_age_s or 9) < 1.0)
            await live.fault(ws_delay_ms=2000)
            await live.until(lambda: conn.state is ConnectionState.STALE)
            assert conn.state_reason.startswith("data ")
            await ladder.until(lambda b: b.stale and "data" in b.stale_reason)
            age = md.stats().data_age_s
            assert age is not None and age > 1.0
            await live.fault(ws_delay_ms=0)
            await live.until(lambda: conn.state is ConnectionState.LIVE)
            await ladder.until(is_live)
        finally:
            await supervisor.shutdown(timeout=5)
