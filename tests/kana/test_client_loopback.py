"""The Kana venue against the embedded exchange's Kana mode, over loopback: markets, books,
the address watch, a dropped connection and the resubscribe after it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from terminal.domain.account import Position
from terminal.domain.connection import ConnectionState
from terminal.domain.marketdata import BookUpdate
from terminal.domain.orders import Order
from terminal.domain.streams import Stream, StreamKind
from terminal.sim.kana.server import KanaSimServer
from terminal.sim.server import ExchangeUrls
from terminal.venues.kana.errors import KanaError
from terminal.venues.kana.markets import MarketInfo
from terminal.venues.kana.rest import KanaRest
from terminal.venues.kana.urls import TESTNET
from terminal.venues.kana.venue import KanaVenue
from tests.conftest import poll_until

from .conftest import Recorder

BTC = "BTC-USDC-PERP"


@pytest.fixture
async def venue(kana_sim: tuple[KanaSimServer, ExchangeUrls]) -> AsyncIterator[KanaVenue]:
    _, urls = kana_sim
    opened = await KanaVenue.open(
        urls.rest,
        urls.ws,
        market_ids=TESTNET.market_ids,
        session_options={"backoff_initial": 0.05, "backoff_max": 0.2},
    )
    try:
        yield opened
    finally:
        await opened.close()


class HeldRest(KanaRest):
    """Answers `getMarketInfo` only once the exchange has a WebSocket client."""

    def __init__(self, base_url: str, server: KanaSimServer) -> None:
        super().__init__(base_url)
        self.server = server

    async def market_info(self, market_id: str) -> MarketInfo:
        await poll_until(lambda: self.server.connections, wait_s=3.0)
        return await super().market_info(market_id)


async def test_the_websocket_connects_while_the_markets_load(
    kana_sim: tuple[KanaSimServer, ExchangeUrls],
) -> None:
    # Before, the session was started after the markets: this open waited for ever.
    server, urls = kana_sim
    rest = HeldRest(urls.rest, server)
    opened = await KanaVenue.open(urls.rest, urls.ws, market_ids=TESTNET.market_ids, rest=rest)
    try:
        assert opened.state is ConnectionState.LIVE
        assert BTC in opened.instruments
    finally:
        await opened.close()


async def test_an_open_without_markets_leaves_no_websocket(
    kana_sim: tuple[KanaSimServer, ExchangeUrls],
) -> None:
    server, urls = kana_sim
    with pytest.raises(KanaError, match="NO_MARKETS"):
        await KanaVenue.open(urls.rest, urls.ws, market_ids=["999999"])
    await poll_until(lambda: not server.connections)
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("kana ws")]


async def test_markets_come_from_get_market_info(venue: KanaVenue) -> None:
    # The sim has no APT market: 1338 is left out, the others keep their testnet ids.
    assert sorted(venue.instruments) == [BTC, "ETH-USDC-PERP", "SOL-USDC-PERP"]
    btc = venue.markets[BTC]
    assert (btc.market_id, btc.instrument.tick_size, btc.instrument.step_size) == (
        "1339",
        venue.instruments[BTC].tick_size,
        btc.units.lot,
    )
    assert str(btc.instrument.tick_size) == "0.1" and str(btc.units.lot) == "0.001"
    assert venue.state is ConnectionState.LIVE


async def test_book_snapshots_in_sequence_on_the_tick(venue: KanaVenue) -> None:
    books = Recorder()
    await venue.subscribe(venue.channel(Stream(StreamKind.BOOK, BTC)), books)
    await books.until(lambda: len(books.events) >= 3)
    updates: list[BookUpdate] = books.events
    assert all(u.is_snapshot and u.market == BTC for u in updates)
    assert [u.seq_no for u in updates] == list(range(1, len(updates) + 1))
    tick_units = venue.markets[BTC].units.tick_units
    last = updates[-1]
    assert last.bids and last.asks and max(last.bids)[0] < min(last.asks)[0]
    assert all(price % tick_units == 0 for price, _ in last.bids + last.asks)


async def test_the_watched_address_trades(
    venue: KanaVenue, kana_sim: tuple[KanaSimServer, ExchangeUrls]
) -> None:
    server, _ = kana_sim
    with pytest.raises(KanaError):
        venue.channel(Stream(StreamKind.POSITIONS))  # no address watched yet
    watch = venue.watch_address(server.addresses[0])
    positions, orders, fills = Recorder(), Recorder(), Recorder()
    for kind, recorder in (
        (StreamKind.POSITIONS, positions),
        (StreamKind.ORDERS, orders),
        (StreamKind.FILLS, fills),
    ):
        await venue.subscribe(venue.channel(Stream(kind)), recorder)
    await fills.until(lambda: len(fills.events) >= 2, limit_s=30)
    await orders.until(lambda: len(orders.events) >= 1)
    await positions.until(lambda: len(positions.events) >= 1)
    assert all(isinstance(p, Position) and p.market == BTC for p in positions.events)
    assert all(isinstance(o, Order) for o in orders.events)
    assert watch.fills and set(watch.fills) == {f.id for f in fills.events}


async def test_a_dropped_connection_comes_back_and_resubscribes(
    venue: KanaVenue, kana_sim: tuple[KanaSimServer, ExchangeUrls]
) -> None:
    server, _ = kana_sim
    states: list[ConnectionState] = []
    books = Recorder()
    venue.add_state_listener(lambda state, _reason: (states.append(state), books.poke()))
    await venue.subscribe(venue.channel(Stream(StreamKind.BOOK, BTC)), books)
    await books.until(lambda: len(books.events) >= 1)

    await server.drop_connections()
    await books.until(lambda: ConnectionState.RECONNECTING in states)
    await books.until(lambda: states[-1] is ConnectionState.LIVE)
    seen = len(books.events)
    # Nobody subscribed again above: the session renewed the book by itself.
    await books.until(lambda: len(books.events) > seen)
    assert venue.session.stats.reconnects >= 1
    assert books.events[-1].seq_no == len(books.events)


async def test_unsubscribed_rows_are_dropped(venue: KanaVenue) -> None:
    books, other = Recorder(), Recorder()
    channel = venue.channel(Stream(StreamKind.BOOK, BTC))
    await venue.subscribe(channel, books)
    await venue.subscribe(venue.channel(Stream(StreamKind.BOOK, "ETH-USDC-PERP")), other)
    await books.until(lambda: len(books.events) >= 1)
    await venue.unsubscribe(channel)
    count = len(books.events)
    unrouted = venue.session.stats.unrouted
    # The indexer keeps sending (it has no unsubscribe); the session drops those rows.
    await other.until(lambda: venue.session.stats.unrouted > unrouted)
    assert len(books.events) == count


async def test_silent_streams_subscribe_and_stay_silent(venue: KanaVenue) -> None:
    for stream in (Stream(StreamKind.TRADES, BTC), Stream(StreamKind.SUMMARIES)):
        await venue.subscribe(venue.channel(stream), Recorder())
    assert await venue.klines(BTC, 1, 0, 1) == [] and await venue.recent_trades(BTC, 5) == []
    with pytest.raises(KanaError):
        await venue.book_snapshot(BTC, 10)
