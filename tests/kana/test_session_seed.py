"""The session on a real socket, fed the seed's exact lines by a scripted indexer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.server import ServerConnection, serve

from terminal.venues.kana.session import KanaSession, TopicKey

from .conftest import ADDRESS, SEED_MESSAGES, Recorder

POSITIONS, TRADES, NO_ORDERS, OPEN_ORDER, _HISTORY, BOOK = SEED_MESSAGES
OTHER = "0x" + "ab" * 32
REPLIES = {
    ("orderbook", "396"): [BOOK],
    ("open_orders", ADDRESS): [NO_ORDERS, OPEN_ORDER],
    # The seed's line as printed (not JSON), then with its list closed.
    ("trade_history", ADDRESS): [TRADES, TRADES.replace('},"message"', '}],"message"')],
    # A reply with no rows while two addresses are subscribed (whose is it?), then a book
    # line: once the book has it, the reply before it has been dealt with.
    ("open_orders", OTHER): [NO_ORDERS, BOOK],
}


@pytest.fixture
async def indexer() -> AsyncIterator[str]:
    """A scripted indexer on loopback: each subscription gets its seed lines."""

    async def handler(ws: ServerConnection) -> None:
        async for text in ws:
            request = json.loads(text)
            key = request.get("market_id") or request.get("address")
            for line in REPLIES.get((request["topic"], key), []):
                await ws.send(line)

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}/ws"


async def test_seed_lines_off_a_socket(indexer: str) -> None:
    session = KanaSession(indexer)
    await session.start()
    try:
        book, orders, trades = Recorder(), Recorder(), Recorder()
        await session.subscribe(TopicKey("orderbook", "396"), book)
        await session.subscribe(TopicKey("open_orders", ADDRESS), orders)
        await session.subscribe(TopicKey("trade_history", ADDRESS), trades)
        await book.until(lambda: len(book.events) == 1)
        await orders.until(lambda: len(orders.events) == 2)
        await trades.until(lambda: len(trades.events) == 1)
        assert len(book.events[0]) == 19
        assert [len(rows) for rows in orders.events] == [0, 1]  # `[]` routed to its only sub
        assert session.stats.undecodable == 1  # the seed's unclosed list, skipped

        unrouted = session.stats.unrouted
        await session.subscribe(TopicKey("open_orders", OTHER), orders)
        await book.until(lambda: len(book.events) == 2)
        assert session.stats.unrouted == unrouted + 1
        assert len(orders.events) == 2  # the empty reply was nobody's for sure: dropped
    finally:
        await session.close()
