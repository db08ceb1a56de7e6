"""WebSocket conformance (§11): JSON-RPC control plane, channels, deltas, SBE negotiation."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import InvalidStatus

from terminal.domain.marketdata import BookUpdate
from terminal.venues.paradex.sbe import decode as sbe

MARKET = "BTC-USD-PERP"


async def test_subscribe_ack_and_data(connect: Any) -> None:
    probe = await connect()
    channel = f"trades.{MARKET}"
    answer = await probe.rpc("subscribe", {"channel": channel})
    assert answer["jsonrpc"] == "2.0" and answer["result"] == {"channel": channel}
    assert {"usIn", "usDiff"} <= set(answer)
    summary = await probe.rpc("subscribe", {"channel": "markets_summary"})
    assert "result" in summary
    data = await probe.notification("markets_summary")
    assert "symbol" in data["data"]


async def test_subscription_errors(connect: Any) -> None:
    probe = await connect()
    bad = await probe.rpc("subscribe", {"channel": "order_book.NOPE-USD-PERP.deltas"})
    assert bad["error"]["code"] == -32600
    wrong = await probe.rpc("subscribe", {"channel": f"order_book.{MARKET}.deltas@15@50ms"})
    assert wrong["error"]["code"] == -32600
    assert "result" in await probe.rpc("subscribe", {"channel": f"bbo.{MARKET}"})
    again = await probe.rpc("subscribe", {"channel": f"bbo.{MARKET}"})
    assert again["error"]["code"] == -32600
    never = await probe.rpc("unsubscribe", {"channel": f"trades.{MARKET}"})
    assert "error" in never
    assert "result" in await probe.rpc("unsubscribe", {"channel": f"bbo.{MARKET}"})
    private = await probe.rpc("subscribe", {"channel": "orders.ALL"})
    assert private["error"]["code"] == 40300
    assert (await probe.rpc("no.such.method"))["error"]["code"] == -32601
    assert (await probe.rpc("auth", {"bearer": "x.y.z"}))["error"]["code"] == 40111


async def test_deltas_start_with_a_snapshot_then_contiguous_seq(connect: Any) -> None:
    probe = await connect()
    channel = f"order_book.{MARKET}.deltas"
    assert "result" in await probe.rpc("subscribe", {"channel": channel})
    first = (await probe.notification(channel))["data"]
    assert first["update_type"] == "s" and first["inserts"]
    seq = first["seq_no"]
    for _ in range(20):
        data = (await probe.notification(channel))["data"]
        assert data["update_type"] == "d"
        assert data["seq_no"] == seq + 1
        seq = data["seq_no"]


async def test_snapshot_channel_is_top_15_and_throttled(connect: Any) -> None:
    probe = await connect()
    channel = f"order_book.{MARKET}.snapshot@15@50ms@1"
    assert "result" in await probe.rpc("subscribe", {"channel": channel})
    for _ in range(3):
        data = (await probe.notification(channel))["data"]
        bids = [lv for lv in data["inserts"] if lv["side"] == "BUY"]
        assert data["update_type"] == "s" and 0 < len(bids) <= 15
        assert all(float(lv["price"]).is_integer() for lv in bids)


async def test_sbe_frames_decode(connect: Any) -> None:
    probe = await connect("?sbeSchemaId=1&sbeSchemaVersion=2")
    channel = f"order_book.{MARKET}.deltas"
    ack = await probe.rpc("subscribe", {"channel": channel})
    assert ack["result"] == {"channel": channel}  # acks stay JSON
    frame = await probe.recv()
    assert isinstance(frame, bytes)
    template_id, market, payload = sbe.decode_public(frame)
    assert template_id == 3 and market == MARKET
    assert isinstance(payload, BookUpdate) and payload.is_snapshot
    following = sbe.decode_public(await probe.recv())[2]
    assert isinstance(following, BookUpdate) and following.seq_no == payload.seq_no + 1


@pytest.mark.parametrize(
    "query",
    [
        "?sbeSchemaId=1&sbeSchemaVersion=3",
        "?sbeSchemaId=2&sbeSchemaVersion=1",
        "?sbeSchemaVersion=1",
        "?sbeSchemaId=1&sbeSchemaVersion=x",
    ],
)
async def test_bad_sbe_negotiation_is_http_400(exchange: Any, query: str) -> None:
    with pytest.raises(InvalidStatus) as info:
        await ws_connect(exchange.urls.ws + query)
    assert info.value.response.status_code == 400


async def test_server_pings_and_drops_a_client_that_never_pongs(make_exchange: Any) -> None:
    running = await make_exchange(ping_interval_s=0.2)
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(running.urls.ws, autoping=False) as ws,
    ):
        first = await ws.receive(timeout=5)
        assert first.type == aiohttp.WSMsgType.PING
        async with asyncio.timeout(5):
            while (await ws.receive()).type == aiohttp.WSMsgType.PING:
                pass
        assert ws.closed or ws.close_code is not None
