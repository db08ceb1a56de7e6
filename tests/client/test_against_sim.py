"""The real client against the embedded exchange on loopback: REST, auth, orders, WS."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest

from terminal.domain.connection import ConnectionState
from terminal.domain.marketdata import BookUpdate
from terminal.domain.orders import NewOrder, Order, OrderStatus, OrderType, Side
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.crypto.signing import (
    ParadexSigner,
    account_address,
    chain_id_from_name,
    generate_private_key,
)
from terminal.venues.paradex.errors import OrderRejected
from terminal.venues.paradex.http.client import ParadexRest
from terminal.venues.paradex.ws.session import WsSession


@pytest.fixture
async def exchange():
    async with run_exchange(seed=3, rate=200.0) as urls:
        yield urls


async def connect(urls) -> ParadexRest:
    rest = ParadexRest(urls.rest)
    config = await rest.public.system_config()
    await rest.sync_clock()
    key = generate_private_key()
    probe = ParadexSigner(key, 0, 0)
    account = account_address(
        probe.public_key,
        int(config.paraclear_account_proxy_hash, 16),
        int(config.paraclear_account_hash, 16),
    )
    rest.attach_signer(ParadexSigner(key, account, chain_id_from_name(config.starknet_chain_id)))
    return rest


async def test_rest_onboard_auth_order_cancel_all(exchange):
    async with await connect(exchange) as rest:
        assert abs(rest.clock.skew_ms) < 1000
        await rest.jwt.token()  # NOT_ONBOARDED → onboarding → JWT
        assert rest.jwt.expires_at > rest.clock.now()
        instruments = {i.symbol: i for i in await rest.public.markets()}
        symbol = next(iter(instruments))
        instrument = instruments[symbol]
        book = await rest.public.orderbook(symbol, depth=5)
        assert book.is_snapshot and book.bids and book.asks
        summary = await rest.account.account()
        assert summary.account_value >= 0
        far_below = instrument.round_price(
            Decimal(book.bids[0][0]).scaleb(-8) * Decimal("0.97"), Side.BUY
        )
        order = await rest.orders.create(
            NewOrder(
                market=symbol,
                side=Side.BUY,
                type=OrderType.LIMIT,
                size=instrument.round_size(instrument.min_notional / far_below * 2)
                or instrument.step_size,
                price=far_below,
                client_id="it-1",
            )
        )
        assert order.client_id == "it-1" and order.market == symbol
        assert order.status in (OrderStatus.NEW, OrderStatus.OPEN)
        found = await rest.orders.find("it-1")
        assert found.id == order.id
        # The same client id: on the same terms it is this order (never a second one),
        # on other terms the venue's DUPLICATED_CLIENT_ID refusal stands.
        again = await rest.orders.create(
            NewOrder(symbol, Side.BUY, OrderType.LIMIT, order.size, far_below, client_id="it-1")
        )
        assert again.id == order.id
        with pytest.raises(OrderRejected):
            await rest.orders.create(
                NewOrder(
                    symbol, Side.BUY, OrderType.LIMIT, order.size * 2, far_below, client_id="it-1"
                )
            )
        await rest.orders.cancel_all(symbol)
        for _ in range(50):
            if not await rest.account.open_orders(symbol):
                break
            await asyncio.sleep(0.02)
        assert await rest.account.open_orders(symbol) == []


async def test_ws_book_private_orders_and_reconnect(exchange):
    async with await connect(exchange) as rest:
        await rest.jwt.token()
        symbol = (await rest.public.markets())[0].symbol
        session = WsSession(exchange.ws, token_provider=rest.jwt.token, backoff_initial=0.05)
        states: list[ConnectionState] = []
        live_again = asyncio.Event()

        def on_state(state: ConnectionState, reason: str) -> None:
            states.append(state)
            if states.count(ConnectionState.LIVE) == 2:
                live_again.set()

        session.add_state_listener(on_state)
        books: list[BookUpdate] = []
        orders: list[Order] = []
        book_event, order_event = asyncio.Event(), asyncio.Event()

        def on_book(update: object) -> None:
            assert isinstance(update, BookUpdate)
            books.append(update)
            book_event.set()

        def on_order(order: object) -> None:
            assert isinstance(order, Order)
            orders.append(order)
            order_event.set()

        try:
            await session.start()
            await session.subscribe(f"order_book.{symbol}.deltas", on_book)
            await session.subscribe("orders.ALL", on_order)
            await asyncio.wait_for(book_event.wait(), 10)
            assert books[0].is_snapshot and books[0].market == symbol
            assert session.stats.channels[f"order_book.{symbol}.deltas"].count >= 1

            ticket = (await rest.public.markets(symbol))[0]
            bbo = await rest.public.bbo(symbol)
            assert bbo.bid is not None
            price = ticket.round_price(bbo.bid * Decimal("0.95"), Side.BUY)
            size = ticket.round_size(ticket.min_notional / price * 2) or ticket.step_size
            await rest.orders.create(NewOrder(symbol, Side.BUY, OrderType.LIMIT, size, price))
            await asyncio.wait_for(order_event.wait(), 10)
            assert orders[0].market == symbol and orders[0].size == size

            seen_before_drop = len(books)
            base = exchange.rest.removesuffix("/v1")
            async with httpx.AsyncClient() as admin:
                answer = await admin.post(f"{base}/_sim/faults", json={"disconnect": True})
                assert answer.status_code == 200
            await asyncio.wait_for(live_again.wait(), 10)

            async def resubscribed_snapshot() -> None:
                # Deltas of the old connection may still land after the drop was asked for.
                while not any(b.is_snapshot for b in books[seen_before_drop:]):
                    book_event.clear()
                    await book_event.wait()

            await asyncio.wait_for(resubscribed_snapshot(), 10)
            assert states[:4] == [
                ConnectionState.CONNECTING,
                ConnectionState.LIVE,
                ConnectionState.RECONNECTING,
                ConnectionState.CONNECTING,
            ]
            assert session.stats.reconnects >= 1
        finally:
            await session.close()
