"""A real WebSocket on loopback: JSON text frames and SBE binary frames feed the same book."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from terminal.domain.marketdata import BookUpdate
from terminal.domain.orderbook import OrderBook
from terminal.venues.paradex.sbe import decode as sbe
from terminal.venues.paradex.ws import frames

CHANNEL = "order_book.BTC-USD-PERP.deltas"


def _payload(seq: int, kind: str, inserts: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "market": "BTC-USD-PERP",
        "seq_no": seq,
        "last_updated_at": 1_790_000_000_000 + seq,
        "update_type": kind,
        "inserts": inserts,
        "updates": [],
        "deletes": [],
    }


STREAM = [
    _payload(
        1,
        "s",
        [
            {"side": "BUY", "price": "67629.7", "size": "1"},
            {"side": "SELL", "price": "67629.8", "size": "2"},
        ],
    ),
    *(
        _payload(seq, "d", [{"side": "BUY", "price": f"6762{seq % 10}.1", "size": f"0.{seq}"}])
        for seq in range(2, 40)
    ),
]


async def _serve_and_collect(binary: bool) -> OrderBook:
    async def handler(ws: ServerConnection) -> None:
        await ws.recv()  # the subscribe request
        await ws.send(json.dumps({"jsonrpc": "2.0", "result": {"channel": CHANNEL}, "id": 1}))
        await ws.send(b"\x10\x00\x28\x00\x01\x00\x02\x00" + bytes(16))  # a heartbeat
        for data in STREAM:
            if binary:
                await ws.send(sbe.encode_public("order_book", data))
            else:
                body = {"method": "subscription", "params": {"channel": CHANNEL, "data": data}}
                await ws.send(json.dumps(body))
        await ws.wait_closed()

    book = OrderBook("BTC-USD-PERP")
    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}") as ws:
            await ws.send(json.dumps({"method": "subscribe", "params": {"channel": CHANNEL}}))
            ack = frames.decode_text(await ws.recv())
            assert isinstance(ack, frames.RpcResponse) and ack.error is None
            while book.seq_no != len(STREAM):
                raw = await asyncio.wait_for(ws.recv(), timeout=5)
                note = (
                    frames.decode_binary(raw) if isinstance(raw, bytes) else frames.decode_text(raw)
                )
                if note is not None:
                    assert isinstance(note, frames.Notification)
                    assert isinstance(note.event, BookUpdate)
                    book.apply(note.event)
    return book


async def test_json_and_sbe_streams_build_the_same_live_book() -> None:
    from_json = await _serve_and_collect(binary=False)
    from_sbe = await _serve_and_collect(binary=True)
    assert not from_json.stale and not from_sbe.stale
    assert from_json.top(20) == from_sbe.top(20)
    assert from_json.best_ask() == (6762980000000, 200000000)
    assert len(from_json.top(20)[0]) == 11
