"""The trading service against the embedded exchange over loopback: place, modify, cancel,
cancel-all proven by the stream and REST (also with the WebSocket cut), rejections in
words, flatten-all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from decimal import Decimal

import pytest

from terminal.domain.errors import VenueOrderRejected
from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.services.account_data import AccountDataService
from terminal.services.connection import VenueConnection
from terminal.services.supervisor import Supervisor
from terminal.services.trading import TradingService
from terminal.services.trading_events import EventKind, TradingEvent
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.venue import ParadexVenue

MARKETS = ("BTC-USD-PERP", "ETH-USD-PERP", "SOL-USD-PERP")
LIMIT_S = 15.0


class Desk:
    """A logged-in account with its live data and the trading service."""

    def __init__(
        self, venue: ParadexVenue, trading: TradingService, account: AccountDataService
    ) -> None:
        self.venue = venue
        self.trading = trading
        self.account = account
        self.events: list[TradingEvent] = []
        self._changed = asyncio.Event()
        trading.add_listener(self._on_event)
        account.add_listener(lambda kind: self._changed.set())

    def _on_event(self, event: TradingEvent) -> None:
        self.events.append(event)
        self._changed.set()

    async def until(self, predicate: Callable[[], bool]) -> None:
        async with asyncio.timeout(LIMIT_S):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    async def resting_buy(self, market: str, size: str = "") -> NewOrder:
        """A buy limit far enough below the book to rest (inside the price band)."""
        inst = self.venue.instruments[market]
        bbo = await self.venue.rest.public.bbo(market)
        assert bbo.bid is not None
        price = inst.round_price(bbo.bid * Decimal("0.97"), Side.BUY)
        qty = Decimal(size) if size else inst.round_size(Decimal(20) / price) + inst.step_size * 5
        return NewOrder(market, Side.BUY, OrderType.LIMIT, qty, price)


@pytest.fixture
async def desk() -> AsyncIterator[Desk]:
    async with run_exchange(seed=11, rate=300.0) as urls:
        supervisor = Supervisor()
        venue = await ParadexVenue.open(
            urls.rest,
            urls.ws,
            private_key=generate_private_key(),
            ws_options={"backoff_initial": 0.05, "backoff_max": 0.2},
        )
        assert venue.trading is not None
        conn = VenueConnection(venue, supervisor, trading=venue.trading)
        account = AccountDataService(conn, supervisor)
        await account.start()
        trading = TradingService(venue.trading, account, conn.instruments, supervisor)
        try:
            yield Desk(venue, trading, account)
        finally:
            account.close()
            await supervisor.shutdown(timeout=5)


async def test_place_modify_cancel_with_latency(desk: Desk) -> None:
    order = await desk.resting_buy("BTC-USD-PERP")
    ack = await desk.trading.place(order)
    assert ack.order.client_id and ack.sign_ms > 0 and ack.rtt_ms > 0
    await desk.until(lambda: ack.order.id in desk.account.open_orders)
    new_price = ack.order.price - desk.venue.instruments["BTC-USD-PERP"].tick_size * 10
    desk.trading.modify(ack.order.id, price=new_price)
    await desk.until(lambda: desk.account.open_orders[ack.order.id].price == new_price)
    desk.trading.cancel(ack.order.id)
    await desk.until(lambda: ack.order.id not in desk.account.open_orders)
    summary = desk.trading.latency.summary()
    assert summary.count == 2 and summary.sign_p50 and summary.rtt_p99
    kinds = [e.kind for e in desk.events]
    assert kinds[:2] == [EventKind.SENT, EventKind.ACCEPTED] and EventKind.MODIFIED in kinds


async def test_a_rejected_order_says_why_in_words(desk: Desk) -> None:
    order = await desk.resting_buy("BTC-USD-PERP")
    bad = NewOrder(
        order.market, Side.BUY, OrderType.LIMIT, order.size, order.price + Decimal("0.05")
    )
    with pytest.raises(VenueOrderRejected):
        await desk.trading.place(bad)
    rejected = [e for e in desk.events if e.kind is EventKind.REJECTED]
    assert rejected and "price" in rejected[0].text.lower()


async def _open_fifty(desk: Desk) -> None:
    orders = [await desk.resting_buy(MARKETS[i % 3]) for i in range(50)]
    await asyncio.gather(*(desk.trading.place(o) for o in orders))
    await desk.until(lambda: len(desk.account.open_orders) == 50)


async def test_cancel_all_fifty_orders_in_three_markets_is_proven(desk: Desk) -> None:
    await _open_fifty(desk)
    run = desk.trading.cancel_all()
    await desk.until(lambda: run.done)
    assert run.proven and run.stream_checked and run.rest_checked
    assert run.sent_ms is not None and run.sent_ms < 5_000
    assert await desk.venue.trading.open_orders() == []  # type: ignore[union-attr]
    assert "0 open — confirmed by stream and REST" in run.describe()


async def test_cancel_all_with_the_websocket_cut_is_proven_by_rest(desk: Desk) -> None:
    await _open_fifty(desk)
    await desk.venue.ws.close()  # the WebSocket is gone for good: only REST can testify
    await desk.until(lambda: not desk.account.live)
    run = desk.trading.cancel_all()
    await desk.until(lambda: run.done)
    assert run.proven and run.rest_checked
    assert await desk.venue.trading.open_orders() == []  # type: ignore[union-attr]


async def test_cancel_all_of_one_market_leaves_the_others(desk: Desk) -> None:
    for market in MARKETS[:2]:
        await desk.trading.place(await desk.resting_buy(market))
    await desk.until(lambda: len(desk.account.open_orders) == 2)
    run = desk.trading.cancel_all("BTC-USD-PERP")
    await desk.until(lambda: run.done)
    assert run.proven
    left = await desk.venue.trading.open_orders()  # type: ignore[union-attr]
    assert [o.market for o in left] == ["ETH-USD-PERP"]


async def test_flatten_all_leaves_no_position_and_no_order(desk: Desk) -> None:
    inst = desk.venue.instruments["ETH-USD-PERP"]
    await desk.trading.place(
        NewOrder("ETH-USD-PERP", Side.BUY, OrderType.MARKET, inst.step_size * 50)
    )
    await desk.trading.place(await desk.resting_buy("BTC-USD-PERP"))
    await desk.until(lambda: "ETH-USD-PERP" in desk.account.positions)
    desk.trading.flatten_all()
    await desk.until(lambda: any(e.kind is EventKind.FLATTEN for e in desk.events))
    await desk.until(lambda: not desk.account.positions and not desk.account.open_orders)
    assert [p for p in await desk.venue.trading.positions() if p.size] == []  # type: ignore[union-attr]


async def test_close_half_a_position(desk: Desk) -> None:
    inst = desk.venue.instruments["ETH-USD-PERP"]
    size = inst.step_size * 40
    await desk.trading.place(NewOrder("ETH-USD-PERP", Side.SELL, OrderType.MARKET, size))
    await desk.until(lambda: "ETH-USD-PERP" in desk.account.positions)
    desk.trading.close_position("ETH-USD-PERP", Decimal("0.5"))
    await desk.until(lambda: desk.account.positions["ETH-USD-PERP"].size == -size / 2)
