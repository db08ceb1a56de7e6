"""The blotters against the embedded exchange: the real account service feeds them, their
intents go to the real trading service, and the notifications log tells the story."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QTimer

from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.domain.streams import Stream, StreamKind
from terminal.services.account_data import AccountDataService
from terminal.services.connection import VenueConnection
from terminal.services.supervisor import Supervisor
from terminal.services.trading import TradingService
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.venue import ParadexVenue
from terminal.viewmodels.notifications import NotificationsModel
from terminal.viewmodels.orders import OpenOrdersModel

MARKET = "BTC-USD-PERP"
LIMIT_S = 15.0


async def _until(account: AccountDataService, predicate: Callable[[], bool]) -> None:
    changed = asyncio.Event()
    account.add_listener(lambda _kind: changed.set())
    async with asyncio.timeout(LIMIT_S):
        while not predicate():
            changed.clear()
            await changed.wait()


async def test_open_orders_and_the_log_follow_the_exchange() -> None:
    async with run_exchange(seed=11, rate=300.0) as urls:
        supervisor = Supervisor()
        venue = await ParadexVenue.open(urls.rest, urls.ws, private_key=generate_private_key())
        assert venue.trading is not None
        conn = VenueConnection(venue, supervisor, trading=venue.trading)
        account = AccountDataService(conn, supervisor)
        await account.start()
        trading = TradingService(venue.trading, account, conn.instruments, supervisor)
        orders = OpenOrdersModel(account, age_timer=QTimer())
        log = NotificationsModel()
        # The wiring the app does: the log shares the orders stream's lease; intents go to
        # the trading service as Decimals.
        lease = await conn.subscriptions.acquire(
            venue.channel(Stream(StreamKind.ORDERS)), log.on_order_event
        )
        orders.cancel_requested.connect(trading.cancel)
        orders.modify_requested.connect(
            lambda oid, price, size: trading.modify(oid, price=Decimal(price), size=Decimal(size))
        )
        try:
            instrument = venue.instruments[MARKET]
            orders.set_instruments([instrument])
            bbo = await venue.rest.public.bbo(MARKET)
            assert bbo.bid is not None
            price = instrument.round_price(bbo.bid * Decimal("0.97"), Side.BUY)
            size = instrument.round_size(Decimal(20) / price) + instrument.step_size * 5
            ack = await trading.place(NewOrder(MARKET, Side.BUY, OrderType.LIMIT, size, price))
            await _until(account, lambda: ack.order.id in account.open_orders)
            orders.flush()
            assert orders.rowCount() == 1 and orders.row_at(0).id == ack.order.id

            lower = price - instrument.tick_size * 10
            assert orders.setData(orders.index(0, orders.price_column), str(lower))
            await _until(account, lambda: account.open_orders[ack.order.id].price == lower)
            orders.flush()
            assert orders.row_at(0).price == lower

            orders.request_cancel(0)
            await _until(account, lambda: ack.order.id not in account.open_orders)
            orders.flush()
            assert orders.rowCount() == 0

            log.flush()
            texts = [log.row_at(r).text for r in range(log.rowCount())]
            assert texts[0].startswith("Cancelled: Buy") and texts[0].endswith("cancelled by you")
            assert any(t.startswith("Accepted: Buy") for t in texts)
        finally:
            lease.release()
            account.close()
            await supervisor.shutdown(timeout=5)
            await venue.close()
