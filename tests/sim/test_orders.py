"""Order entry conformance (§7): signatures, recv_window, channels, cancel, modify, batch."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import httpx

from terminal.venues.paradex.crypto import signing

MARKET = "BTC-USD-PERP"


async def _far_bid(http: httpx.AsyncClient) -> str:
    """A limit price well under the book, that rests without filling."""
    book = (await http.get(f"/orderbook/{MARKET}", params={"depth": 1})).json()
    best = Decimal(book["bids"][0][0])
    return str((best * Decimal("0.97")).quantize(Decimal(1)))


async def test_order_created_and_pushed_on_orders_channel(
    http: httpx.AsyncClient, token: str, signed_order: Any, connect: Any
) -> None:
    probe = await connect()
    assert "result" in await probe.rpc("auth", {"bearer": token})
    assert "result" in await probe.rpc("subscribe", {"channel": f"orders.{MARKET}"})
    price = await _far_bid(http)
    body = signed_order(MARKET, "BUY", "0.01", price, client_id="t-1")
    r = await http.post("/orders", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["client_id"] == "t-1" and order["market"] == MARKET
    update = await probe.notification(f"orders.{MARKET}")
    assert update["data"]["id"] == order["id"]
    opened = (await http.get("/orders", headers={"Authorization": f"Bearer {token}"})).json()
    assert order["id"] in [o["id"] for o in opened["results"]]


async def test_bad_signature_is_invalid_order_signature(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    body = signed_order(MARKET, "BUY", "0.01", "1000")
    body["size"] = "0.02"  # signed 0.01
    r = await http.post("/orders", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400
    assert r.json()["error"] == "INVALID_ORDER_SIGNATURE"
    body["signature"] = "not a signature"
    r = await http.post("/orders", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.json()["error"] == "INVALID_ORDER_SIGNATURE"


async def test_recv_window_rejects_stale_orders(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    stale = int(time.time() * 1000) - 20_000
    body = signed_order(MARKET, "BUY", "0.01", "1000", ts_ms=stale, recv_window=10_000)
    r = await http.post("/orders", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400
    assert r.json()["error"] == "INVALID_TIMESTAMP"


async def test_cancel_all_with_market_and_by_id(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    price = await _far_bid(http)
    ids = []
    for i in range(3):
        body = signed_order(MARKET, "BUY", "0.01", price, client_id=f"c{i}")
        ids.append((await http.post("/orders", json=body, headers=auth)).json()["id"])
    assert (await http.delete(f"/orders/{ids[0]}", headers=auth)).status_code == 204
    assert (await http.delete("/orders/by_client_id/c1", headers=auth)).status_code == 204
    r = await http.delete("/orders", params={"market": MARKET}, headers=auth)
    assert r.status_code == 200
    left = (await http.get("/orders", params={"market": MARKET}, headers=auth)).json()
    assert left["results"] == []


async def test_modify_needs_a_modify_signature(
    http: httpx.AsyncClient, token: str, trader: Any, signed_order: Any
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    price = await _far_bid(http)
    order = (
        await http.post("/orders", json=signed_order(MARKET, "BUY", "0.01", price), headers=auth)
    ).json()
    ts = int(time.time() * 1000)
    new_price = str(Decimal(price) - 1)
    fields = {
        "market": MARKET,
        "side": "BUY",
        "order_type": "LIMIT",
        "size": Decimal("0.02"),
        "price": Decimal(new_price),
        "timestamp_ms": ts,
    }
    body = {
        "id": order["id"],
        "market": MARKET,
        "side": "BUY",
        "type": "LIMIT",
        "size": "0.02",
        "price": new_price,
        "signature_timestamp": ts,
        "signature": signing.format_signature(trader.signer.sign_order(**fields)),
    }
    r = await http.put(f"/orders/{order['id']}", json=body, headers=auth)
    assert r.json()["error"] == "INVALID_ORDER_SIGNATURE"
    sig = trader.signer.sign_modify(**fields, order_id=order["id"])
    body["signature"] = signing.format_signature(sig)
    r = await http.put(f"/orders/{order['id']}", json=body, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == order["id"]


async def test_batch_rejects_all_on_one_bad_signature(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    price = await _far_bid(http)
    good = [signed_order(MARKET, "BUY", "0.01", price) for _ in range(2)]
    bad = signed_order(MARKET, "BUY", "0.01", price)
    bad["price"] = str(Decimal(price) - 1)
    r = await http.post("/orders/batch", json=[*good, bad], headers=auth)
    assert r.json()["error"] == "INVALID_ORDER_SIGNATURE"
    r = await http.post("/orders/batch", json=good, headers=auth)
    assert r.status_code == 201
    assert len(r.json()["orders"]) == 2
    assert (await http.get("/orders", headers=auth)).json()["results"]


async def test_lookups_history_and_batch_cancel(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    price = await _far_bid(http)
    placed = [
        (
            await http.post(
                "/orders",
                json=signed_order(MARKET, "BUY", "0.01", price, client_id=f"k{i}"),
                headers=auth,
            )
        ).json()
        for i in range(2)
    ]
    by_id = (await http.get(f"/orders/{placed[0]['id']}", headers=auth)).json()
    assert by_id["client_id"] == "k0"
    by_cid = (await http.get("/orders/by_client_id/k1", headers=auth)).json()
    assert by_cid["id"] == placed[1]["id"]
    r = await http.request(
        "DELETE",
        "/orders/batch",
        headers=auth,
        json={"order_ids": [placed[0]["id"], "999"], "client_order_ids": ["k1"]},
    )
    assert r.status_code == 200, r.text
    statuses = {row.get("id") or row.get("client_id"): row["status"] for row in r.json()["results"]}
    assert statuses[placed[0]["id"]] == "QUEUED_FOR_CANCELLATION"
    assert "NOT_FOUND" in statuses.values()
    history = (await http.get("/orders-history", params={"market": MARKET}, headers=auth)).json()
    assert set(history) == {"next", "prev", "results"}
    assert {o["id"] for o in placed} <= {o["id"] for o in history["results"]}
    missing = await http.get("/orders/123", headers=auth)
    assert missing.status_code in (400, 404) and "error" in missing.json()


async def test_batch_over_the_engine_limit_is_refused_before_signatures_are_checked(
    http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    # one limit for the whole path: 11 orders are too many whether or not they are signed
    auth = {"Authorization": f"Bearer {token}"}
    price = await _far_bid(http)
    unsigned = {**signed_order(MARKET, "BUY", "0.01", price), "signature": "[1,2]"}
    r = await http.post("/orders/batch", json=[unsigned] * 11, headers=auth)
    assert r.json()["error"] == "BATCH_SIZE_OUT_OF_RANGE"
    assert (await http.get("/orders", headers=auth)).json()["results"] == []
