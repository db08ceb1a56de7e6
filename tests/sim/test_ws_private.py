"""Private channels and order RPCs over the WebSocket (§11.3, §11.4)."""

from __future__ import annotations

from typing import Any

import httpx

from terminal.venues.paradex.sbe import decode as sbe

MARKET = "BTC-USD-PERP"


async def test_a_fill_reaches_fills_positions_and_account(
    http: httpx.AsyncClient, token: str, signed_order: Any, connect: Any
) -> None:
    probe = await connect()
    assert "result" in await probe.rpc("auth", {"bearer": token})
    for channel in ("fills.ALL", "positions", "account"):
        assert "result" in await probe.rpc("subscribe", {"channel": channel})
    body = signed_order(MARKET, "BUY", "0.01", None, order_type="MARKET")
    r = await http.post("/orders", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    fill = (await probe.notification("fills.ALL"))["data"]
    assert fill["market"] == MARKET and fill["order_id"] == r.json()["id"]
    position = (await probe.notification("positions"))["data"]
    assert position["market"] == MARKET
    assert "account_value" in (await probe.notification("account"))["data"]


async def test_order_rpcs_need_auth_then_work(
    http: httpx.AsyncClient, token: str, signed_order: Any, connect: Any
) -> None:
    probe = await connect()
    book = (await http.get(f"/orderbook/{MARKET}", params={"depth": 1})).json()
    price = str(int(float(book["bids"][0][0]) * 0.97))
    body = signed_order(MARKET, "BUY", "0.01", price, client_id="rpc-1")
    denied = await probe.rpc("order.create", body)
    assert denied["error"]["code"] == 40300
    assert "result" in await probe.rpc("auth", {"bearer": token})
    created = await probe.rpc("order.create", body)
    order = created["result"]["order"]
    assert order["client_id"] == "rpc-1"
    cancelled = await probe.rpc("order.cancel", {"id": order["id"]})
    assert cancelled["result"] == {"order_id": order["id"], "status": "QUEUED_FOR_CANCELLATION"}
    assert (await probe.rpc("order.cancel_all", {"market": MARKET}))["result"] == {"status": "ok"}
    bad = dict(body, size="0.02", client_id="rpc-2")
    assert (await probe.rpc("order.create", bad))["error"]["message"] == "INVALID_ORDER_SIGNATURE"


async def test_sbe_all_subscription_sends_one_frame_per_market(connect: Any) -> None:
    probe = await connect("?sbeSchemaId=1&sbeSchemaVersion=1")
    assert "result" in await probe.rpc("subscribe", {"channel": "markets_summary.ALL"})
    markets = set()
    while len(markets) < 2:
        frame = await probe.recv()
        assert isinstance(frame, bytes)
        template_id, market, _ = sbe.decode_public(frame)
        assert template_id == 4 and int.from_bytes(frame[6:8], "little") == 1
        markets.add(market)


async def test_interactive_view_carries_relative_spread(connect: Any) -> None:
    probe = await connect()
    channel = f"order_book.{MARKET}.interactive@15@100ms"
    assert "result" in await probe.rpc("subscribe", {"channel": channel})
    data = (await probe.notification(channel))["data"]
    assert float(data["relative_spread"]) > 0
