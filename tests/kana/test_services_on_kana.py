"""The venue-neutral services on the Kana venue: a live book, STALE while disconnected, live
again after the resubscribe (the same rules as on Paradex)."""

from __future__ import annotations

from terminal.domain.connection import ConnectionState
from terminal.domain.orderbook import OrderBook
from terminal.services.connection import VenueConnection
from terminal.services.market_data import MarketDataService
from terminal.services.supervisor import Supervisor
from terminal.sim.kana.server import KanaSimServer
from terminal.sim.server import ExchangeUrls
from terminal.venues.kana.urls import TESTNET
from terminal.venues.kana.venue import KanaVenue

from .conftest import Recorder

BTC = "BTC-USDC-PERP"


def is_live(book: OrderBook) -> bool:
    return not book.stale and book.best_bid() is not None and book.best_ask() is not None


async def test_a_book_goes_stale_on_a_drop_and_live_after_it(
    kana_sim: tuple[KanaSimServer, ExchangeUrls],
) -> None:
    server, urls = kana_sim
    venue = await KanaVenue.open(
        urls.rest,
        urls.ws,
        market_ids=TESTNET.market_ids,
        session_options={"backoff_initial": 0.05, "backoff_max": 0.2},
    )
    supervisor = Supervisor()
    try:
        connection = VenueConnection(venue, supervisor)
        assert connection.trading is None and BTC in connection.instruments
        market_data = MarketDataService(connection, supervisor)
        books = Recorder()
        lease = market_data.watch_book(BTC, books)
        await books.until(lambda: bool(books.events) and is_live(books.events[-1]))
        # Trades and summaries subscribe (the desk asks for them) and stay silent.
        market_data.watch_trades(BTC, Recorder())
        await market_data.watch_summaries(Recorder()).wait_ready()

        await server.drop_connections()
        await books.until(lambda: books.events[-1].stale_reason.startswith("disconnected"))
        await books.until(lambda: is_live(books.events[-1]))
        assert connection.state is ConnectionState.LIVE
        assert market_data.stats().reconnects >= 1
        lease.release()
    finally:
        await supervisor.shutdown(timeout=5)
    assert connection.state is ConnectionState.CLOSED
