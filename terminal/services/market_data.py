"""Market data for the panels: live books, trades, BBO, summaries, history.

API (view-models and the app call exactly this):

    md = MarketDataService(connection, supervisor)
    lease = md.watch_book(market, on_update)       # on_update(book: OrderBook)
    lease = md.watch_trades(market, on_trade)      # on_trade(trade: Trade)
    lease = md.watch_bbo(market, on_bbo)           # on_bbo(bbo: Bbo)
    lease = md.watch_summaries(on_summary)         # on_summary(summary: MarketSummary), all markets
    candles = await md.klines(market, resolution_min, start_ms, end_ms)   # list[Candle]
    trades = await md.recent_trades(market, limit)                         # list[Trade]
    md.stats() -> FeedStatsSnapshot     # per channel/family counts, msgs/s, age, reconnects
    md.book(market) -> OrderBook | None

`watch_*` return at once with a `Lease` (terminal.services.subscriptions); the subscribe
runs in the background (`await lease.wait_ready()` to wait for it or see its error) and
`lease.release()` gives the share back. Panels on one market share one channel.

Books: one `OrderBook` per market fed from the venue's BOOK stream, applied once per
message however many panels watch it. `on_update` runs after every applied message (the
view-model throttles its repaints) and gets the same book object each time; when the
book is already live it is called once right away. A `seq_no` gap calls it once with the
now-stale book, then a supervised task reseeds the book from the venue's REST snapshot;
it goes live again when the buffered deltas connect. Snapshots are rate-capped (per market
and in total, `RESYNC_CAP`) so a feed full of gaps cannot hammer the REST API, and a rate
limit pauses every resync for the wait the venue asked for. When the connection reports STALE
(connected but silent), every watched book is marked stale ("feed silent") and its
listeners are told: its levels may be old news. The next delta that continues the sequence
makes it live again; a delta past a gap resyncs it as above. When the WebSocket drops, every
watched book is cleared (stale, "disconnected") and its listeners are told; after the
reconnect the session resubscribes and the channel's first message, a snapshot, makes it
live again. Callbacks must be cheap and must not block: they run on the socket reader.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from terminal.domain.connection import ConnectionState
from terminal.domain.errors import VenueError, VenueRateLimited
from terminal.domain.marketdata import Bbo, BookUpdate, Candle, MarketSummary, Trade
from terminal.domain.orderbook import OrderBook
from terminal.domain.streams import Stream, StreamKind
from terminal.services.feed_stats import FeedStatsSnapshot
from terminal.services.rate_cap import RateCap
from terminal.services.subscriptions import Lease, SubscriptionHub
from terminal.services.supervisor import Supervisor
from terminal.venues.api import MarketVenue

log = logging.getLogger(__name__)

RESYNC_DEPTH = 500
"""Levels asked of the REST snapshot that reseeds a book (the delta feed is unbounded)."""
RESYNC_BACKOFF = (0.2, 5.0)
"""First and longest wait (s) between REST snapshot attempts while a book stays stale."""
RESYNC_CAP = (4, 12, 5.0)
"""Resync snapshots allowed per market, and across markets, in any window of so many s."""


class MarketDataSource(Protocol):
    """What the service needs from a venue connection (VenueConnection)."""

    @property
    def venue(self) -> MarketVenue:
        """The venue: stream names, snapshots, history."""
        ...

    @property
    def subscriptions(self) -> SubscriptionHub:
        """The shared, reference-counted subscriptions."""
        ...

    def add_disconnect_listener(self, callback: Callable[[str], None]) -> None:
        """Call `callback(reason)` whenever the live connection is lost."""
        ...

    def add_state_listener(self, callback: Callable[[ConnectionState, str], None]) -> None:
        """Call `callback(state, reason)` on every connection state change."""
        ...


class _BookFeed:
    """One market's book and its resync state."""

    def __init__(self, market: str) -> None:
        self.book = OrderBook(market)
        self.resync_task: asyncio.Task[None] | None = None


class MarketDataService:
    """Public market data over the shared session, with live order books."""

    def __init__(
        self,
        connection: MarketDataSource,
        supervisor: Supervisor,
        *,
        resync_backoff: tuple[float, float] = RESYNC_BACKOFF,
        resync_cap: RateCap | None = None,
    ) -> None:
        self._venue = connection.venue
        self._resync_backoff = resync_backoff
        self._resync_cap = resync_cap or RateCap(*RESYNC_CAP)
        self._hub = connection.subscriptions
        self._supervisor = supervisor
        self._books: dict[str, _BookFeed] = {}
        connection.add_disconnect_listener(self._on_disconnect)
        connection.add_state_listener(self._on_state)

    def book(self, market: str) -> OrderBook | None:
        """The book of `market`, if it has ever been watched."""
        feed = self._books.get(market)
        return feed.book if feed else None

    def watch_book(self, market: str, on_update: Callable[[OrderBook], None]) -> Lease:
        """Keep `market`'s book live and call `on_update(book)` after each change."""
        channel = self._channel(StreamKind.BOOK, market)
        feed = self._books.get(market)
        if feed is None:
            feed = self._books[market] = _BookFeed(market)
        elif self._hub.lease_count(channel) == 0:
            # Nobody held the channel: whatever the book holds is old news.
            feed.book.clear("subscribing")
        already_live = not feed.book.stale
        lease = self._hub.lease(channel, on_update, adapter=lambda u: self._on_delta(feed, u))
        if already_live:
            on_update(feed.book)
        return lease

    def watch_trades(self, market: str, on_trade: Callable[[Trade], None]) -> Lease:
        """Call `on_trade` for every public trade in `market`."""
        return self._hub.lease(self._channel(StreamKind.TRADES, market), on_trade)

    def watch_bbo(self, market: str, on_bbo: Callable[[Bbo], None]) -> Lease:
        """Call `on_bbo` on every best bid/offer change in `market`."""
        return self._hub.lease(self._channel(StreamKind.BBO, market), on_bbo)

    def watch_summaries(self, on_summary: Callable[[MarketSummary], None]) -> Lease:
        """Call `on_summary` with each market's rolling statistics as they update."""
        return self._hub.lease(self._channel(StreamKind.SUMMARIES), on_summary)

    async def klines(
        self, market: str, resolution_min: int, start_ms: int, end_ms: int
    ) -> list[Candle]:
        """Historical bars of `resolution_min` minutes (1, 3, 5, 15, 30 or 60)."""
        return await self._venue.klines(market, resolution_min, start_ms, end_ms)

    async def recent_trades(self, market: str, limit: int = 100) -> list[Trade]:
        """The latest public trades of `market`, newest first."""
        return await self._venue.recent_trades(market, limit)

    def _channel(self, kind: StreamKind, market: str | None = None) -> str:
        return self._venue.channel(Stream(kind, market))

    def stats(self) -> FeedStatsSnapshot:
        """Feed figures for the status bar."""
        return self._hub.stats.snapshot()

    def _on_delta(self, feed: _BookFeed, update: BookUpdate) -> OrderBook | None:
        book = feed.book
        was_stale = book.stale
        if book.apply(update):
            return book
        if book.needs_resync and feed.resync_task is None:
            log.warning("book %s stale (%s); resyncing", book.market, book.stale_reason)
            feed.resync_task = self._supervisor.spawn(
                self._resync(feed), name=f"resync {book.market}"
            )
        # Tell the panels once, at the moment the book turns stale.
        return book if book.stale and not was_stale else None

    async def _resync(self, feed: _BookFeed) -> None:
        """Reseed a stale book from REST snapshots until it is live again."""
        book = feed.book
        channel = self._channel(StreamKind.BOOK, book.market)
        delay, longest = self._resync_backoff
        try:
            while book.stale and book.needs_resync and self._hub.lease_count(channel):
                await self._resync_cap.acquire(book.market)
                if not (book.stale and book.needs_resync and self._hub.lease_count(channel)):
                    return  # recovered (or released) while waiting for a slot
                try:
                    snapshot = await self._venue.book_snapshot(book.market, RESYNC_DEPTH)
                except VenueRateLimited as exc:
                    pause = longest if exc.retry_after is None else exc.retry_after
                    log.warning(
                        "book %s snapshot rate-limited; pausing resyncs %.1f s", book.market, pause
                    )
                    self._resync_cap.pause(pause)
                except VenueError as exc:
                    log.warning("book %s snapshot failed: %s", book.market, exc)
                else:
                    if book.apply(snapshot) or not book.stale:
                        log.info("book %s live again at seq %s", book.market, book.seq_no)
                        self._hub.publish(channel, book)
                        return
                await asyncio.sleep(delay)
                delay = min(delay * 2, longest)
        finally:
            feed.resync_task = None

    def _on_state(self, state: ConnectionState, reason: str) -> None:
        if state is not ConnectionState.STALE:
            return
        for feed in self._books.values():
            book = feed.book
            channel = self._channel(StreamKind.BOOK, book.market)
            if not book.stale and self._hub.lease_count(channel):
                book.suspend(f"feed silent: {reason}" if reason else "feed silent")
                self._hub.publish(channel, book)

    def _on_disconnect(self, reason: str) -> None:
        for feed in self._books.values():
            channel = self._channel(StreamKind.BOOK, feed.book.market)
            if self._hub.lease_count(channel):
                feed.book.clear(f"disconnected: {reason}" if reason else "disconnected")
                self._hub.publish(channel, feed.book)
