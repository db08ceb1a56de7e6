"""Never lost, never doubled: the order client against the embedded exchange, with a
tampering proxy in between that loses, garbles or withholds the exchange's answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal

import httpx
import pytest

from terminal.domain.orders import NewOrder, Order, OrderType, Side
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.crypto.signing import (
    ParadexSigner,
    account_address,
    chain_id_from_name,
    generate_private_key,
)
from terminal.venues.paradex.errors import OrderRejected, OrderStatusUnknown
from terminal.venues.paradex.http.client import ParadexRest

Tamper = Callable[[httpx.Request, httpx.Response], Awaitable[httpx.Response]]


class Proxy(httpx.AsyncBaseTransport):
    """Forwards every request to the exchange; the next tamper queued for order POSTs
    rewrites the exchange's answer (after the exchange has processed the order)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.tampers: list[Tamper] = []
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method != "POST" or request.url.path != "/v1/orders":
            return response
        self.posts += 1
        await response.aread()
        return await self.tampers.pop(0)(request, response) if self.tampers else response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def rate_limited(_request: httpx.Request, _response: httpx.Response) -> httpx.Response:
    return httpx.Response(429, headers={"Retry-After": "0"}, json={"error": "RATE_LIMIT"})


async def garbled(_request: httpx.Request, _response: httpx.Response) -> httpx.Response:
    return httpx.Response(201, content=b'{"id": "1", "sta')


async def timed_out(request: httpx.Request, _response: httpx.Response) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


@pytest.fixture
async def venue() -> AsyncIterator[tuple[ParadexRest, Proxy, str, NewOrder]]:
    """A signed-in client behind a proxy, and a limit order that rests far from the touch."""
    async with run_exchange(seed=5, rate=50.0) as urls:
        proxy = Proxy()
        rest = ParadexRest(urls.rest, transport=proxy)
        config = await rest.public.system_config()
        key = generate_private_key()
        account = account_address(
            ParadexSigner(key, 0, 0).public_key,
            int(config.paraclear_account_proxy_hash, 16),
            int(config.paraclear_account_hash, 16),
        )
        rest.attach_signer(
            ParadexSigner(key, account, chain_id_from_name(config.starknet_chain_id))
        )
        await rest.jwt.token()
        instrument = (await rest.public.markets())[0]
        bbo = await rest.public.bbo(instrument.symbol)
        assert bbo.bid is not None
        price = instrument.round_price(bbo.bid * Decimal("0.97"), Side.BUY)
        size = instrument.round_size(instrument.min_notional / price * 2) or instrument.step_size
        order = NewOrder(instrument.symbol, Side.BUY, OrderType.LIMIT, size, price, client_id="c-1")
        try:
            yield rest, proxy, instrument.symbol, order
        finally:
            await rest.aclose()


async def open_with(rest: ParadexRest, market: str, client_id: str) -> list[Order]:
    return [o for o in await rest.account.open_orders(market) if o.client_id == client_id]


async def test_the_exchange_refuses_a_duplicate_client_id_while_open(venue) -> None:
    rest, _proxy, market, order = venue
    placed = await rest.orders.create(order)
    other_terms = NewOrder(
        market, Side.BUY, OrderType.LIMIT, order.size * 2, order.price, client_id="c-1"
    )
    with pytest.raises(OrderRejected) as info:
        await rest.orders.create(other_terms)
    assert info.value.code == "DUPLICATED_CLIENT_ID"
    assert [o.id for o in await open_with(rest, market, "c-1")] == [placed.id]


async def test_a_429_after_the_exchange_took_the_order_still_makes_one_order(venue) -> None:
    # The transport resends on 429 (the venue normally refuses before processing); if the
    # first copy was processed after all, the venue refuses the resend as a duplicate and
    # the client returns the order it already has.
    rest, proxy, market, order = venue
    proxy.tampers.append(rate_limited)
    placed = await rest.orders.create(order)
    assert proxy.posts == 2
    assert placed.client_id == "c-1" and placed.size == order.size
    assert [o.id for o in await open_with(rest, market, "c-1")] == [placed.id]


async def test_an_undecodable_201_is_looked_up_by_client_id(venue) -> None:
    rest, proxy, market, order = venue
    proxy.tampers.append(garbled)
    placed = await rest.orders.create(order)
    assert proxy.posts == 1 and placed.client_id == "c-1" and placed.price == order.price
    assert len(await open_with(rest, market, "c-1")) == 1


async def test_a_timeout_after_processing_is_reconciled_not_resent(venue) -> None:
    rest, proxy, market, order = venue
    proxy.tampers.append(timed_out)
    placed = await rest.orders.create(order)
    assert proxy.posts == 1 and placed.client_id == "c-1"
    assert len(await open_with(rest, market, "c-1")) == 1


async def test_a_create_cancelled_in_flight_is_reconciled_in_the_background(venue) -> None:
    rest, proxy, market, order = venue
    reached = asyncio.Event()

    async def withheld(_request: httpx.Request, _response: httpx.Response) -> httpx.Response:
        reached.set()
        await asyncio.Event().wait()  # the answer never comes back
        raise AssertionError("unreachable")

    outcomes: list[tuple[str, object]] = []
    reported = asyncio.Event()

    def on_reconciled(client_id: str, outcome: object) -> None:
        outcomes.append((client_id, outcome))
        reported.set()

    rest.orders.add_reconciled_listener(on_reconciled)
    proxy.tampers.append(withheld)
    creating = asyncio.create_task(rest.orders.create(order))
    await asyncio.wait_for(reached.wait(), 5)
    creating.cancel()
    with pytest.raises(asyncio.CancelledError):
        await creating
    await asyncio.wait_for(reported.wait(), 5)
    [(client_id, outcome)] = outcomes
    assert client_id == "c-1" and isinstance(outcome, Order) and outcome.size == order.size
    assert proxy.posts == 1 and len(await open_with(rest, market, "c-1")) == 1


async def test_an_order_that_never_arrived_is_unknown_after_the_window(venue) -> None:
    rest, proxy, market, order = venue

    async def lost(request: httpx.Request, _response: httpx.Response) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    # Rejected by the exchange (price off the tick), then the answer is lost: the lookups
    # never find it and the client says so instead of guessing.
    off_tick = NewOrder(
        market, Side.BUY, OrderType.LIMIT, order.size, Decimal("0.0000001"), client_id="c-2"
    )
    rest.orders._reconcile_window = 0.3
    proxy.tampers.append(lost)
    with pytest.raises(OrderStatusUnknown) as info:
        await rest.orders.create(off_tick)
    assert info.value.client_id == "c-2" and proxy.posts == 1
