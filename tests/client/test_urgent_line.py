"""The cancel-all line writes its request within the call, reads the answer, survives the
venue closing it, and cancels on the embedded exchange."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal

import pytest

from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.errors import TransportError
from terminal.venues.paradex.http.urgent_line import UrgentLine
from terminal.venues.paradex.venue import ParadexVenue

LIMIT_S = 10.0
AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A plain blocking server socket on loopback: the test reads what arrived without
    letting the event loop run."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(LIMIT_S)
        yield server


@pytest.fixture
async def line(listener: socket.socket) -> AsyncIterator[UrgentLine]:
    port = listener.getsockname()[1]
    opened = UrgentLine(f"http://127.0.0.1:{port}/v1", None)
    keeper = asyncio.create_task(opened.keep_open())
    try:
        await asyncio.wait_for(opened.wait_open(), LIMIT_S)
        yield opened
    finally:
        keeper.cancel()
        opened.close()


async def _resting_buy(venue: ParadexVenue, market: str) -> NewOrder:
    """A small buy limit below the book (inside the price band): it rests."""
    inst = venue.instruments[market]
    bbo = await venue.rest.public.bbo(market)
    assert bbo.bid is not None
    price = inst.round_price(bbo.bid * Decimal("0.97"), Side.BUY)
    size = inst.round_size(Decimal(20) / price) + inst.step_size * 5
    return NewOrder(market, Side.BUY, OrderType.LIMIT, size, price)


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(LIMIT_S)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(4096)
    return data


async def test_the_request_is_on_the_socket_when_the_call_returns(
    line: UrgentLine, listener: socket.socket
) -> None:
    conn, _ = listener.accept()
    with conn:
        answer = line.send_now("DELETE", "/orders", {"market": "BTC-USD-PERP"}, AUTH)
        assert answer is not None
        # No await since the call: the loop has not run, and the bytes are there.
        request = _read_request(conn)
        assert request.startswith(b"DELETE /v1/orders?market=BTC-USD-PERP HTTP/1.1\r\n")
        assert b"\r\nAuthorization: Bearer t\r\n" in request
        assert line.send_now("DELETE", "/orders", {}, AUTH) is None  # one at a time
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        result = await asyncio.wait_for(answer, LIMIT_S)
        assert (result.status, result.body) == (200, b"{}")
        assert line.ready  # keep-alive: the next request can go at once
        again = line.send_now("DELETE", "/orders", {"market": None}, AUTH)
        assert again is not None
        assert _read_request(conn).startswith(b"DELETE /v1/orders HTTP/1.1\r\n")


async def test_a_line_the_venue_drops_fails_its_request_and_reconnects(
    line: UrgentLine, listener: socket.socket
) -> None:
    conn, _ = listener.accept()
    answer = line.send_now("DELETE", "/orders", {}, AUTH)
    assert answer is not None
    _read_request(conn)
    conn.close()
    with pytest.raises(TransportError):
        await asyncio.wait_for(answer, LIMIT_S)
    await asyncio.wait_for(line.wait_open(), LIMIT_S)
    second, _ = listener.accept()
    with second:
        assert line.send_now("DELETE", "/orders", {}, AUTH) is not None
        assert _read_request(second).startswith(b"DELETE /v1/orders HTTP/1.1")


async def test_cancel_all_goes_out_on_the_line_and_cancels_on_the_exchange() -> None:
    async with run_exchange(seed=5, rate=50.0) as urls:
        venue = await ParadexVenue.open(urls.rest, urls.ws, private_key=generate_private_key())
        trading = venue.trading
        assert trading is not None and trading.line is not None
        keeper = asyncio.create_task(trading.line.keep_open())
        try:
            await asyncio.wait_for(trading.line.wait_open(), LIMIT_S)
            await trading.place(await _resting_buy(venue, "BTC-USD-PERP"))
            assert len(await trading.open_orders()) == 1
            sent = trading.cancel_all()
            assert not trading.line.ready  # in flight on the line, not on the pool
            await asyncio.wait_for(sent, LIMIT_S)
            assert trading.line.ready
            assert await trading.open_orders() == []
        finally:
            keeper.cancel()
            await venue.close()
