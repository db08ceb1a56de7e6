"""Order endpoints: exact bodies and signatures, cancels, and the never-twice rule."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from terminal.domain.orders import NewOrder, OrderStatus, OrderType, Side, StpMode, TimeInForce
from terminal.venues.paradex.crypto.signing import parse_signature, verify
from terminal.venues.paradex.errors import OrderRejected, OrderStatusUnknown, RateLimited
from terminal.venues.paradex.http.orders import RECONCILE_WINDOW


def order_resp(body: dict, **changes) -> dict:
    resp = {
        "id": "900",
        "client_id": body.get("client_id", ""),
        "market": body["market"],
        "side": body["side"],
        "type": body["type"],
        "instruction": body.get("instruction", "GTC"),
        "size": body["size"],
        "remaining_size": body["size"],
        "price": body.get("price", "0"),
        "status": "NEW",
        "created_at": 1,
        "last_updated_at": 1,
    }
    resp.update(changes)
    return resp


def echo_order(status: int = 201):
    return lambda r: httpx.Response(status, json=order_resp(json.loads(r.content)))


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def signed_ok(signer, body: dict) -> bool:
    msg_hash = signer.hasher.order_hash(
        market=body["market"],
        side=body["side"],
        order_type=body["type"],
        size=Decimal(body["size"]),
        price=Decimal(body.get("price", "0")),
        timestamp_ms=body["signature_timestamp"],
    )
    return verify(msg_hash, parse_signature(body["signature"]), signer.public_key)


LIMIT = NewOrder(
    market="ETH-USD-PERP",
    side=Side.BUY,
    type=OrderType.LIMIT,
    size=Decimal("0.1"),
    price=Decimal("1999.5"),
    client_id="ord-0001",
)


async def test_limit_order_body_is_exactly_7_1(rest, venue, clock, signer):
    venue.route("POST", "/orders", echo_order())
    order = await rest.orders.create(LIMIT)
    request = venue.sent("POST", "/orders")
    body = json.loads(request.content)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"].startswith("Bearer ")
    assert body == {
        "market": "ETH-USD-PERP",
        "side": "BUY",
        "type": "LIMIT",
        "size": "0.1",
        "price": "1999.5",
        "instruction": "GTC",
        "client_id": "ord-0001",
        "signature": body["signature"],
        "signature_timestamp": int(clock.now * 1000),
        "recv_window": None,
        "stp": None,
    }
    assert isinstance(body["signature"], str) and body["signature"].startswith('["')
    assert signed_ok(signer, body)
    assert order.id == "900" and order.status is OrderStatus.NEW and order.client_id == "ord-0001"


async def test_market_order_options_and_generated_client_id(rest, venue, signer):
    venue.route("POST", "/orders", echo_order())
    order = NewOrder(
        market="BTC-USD-PERP",
        side=Side.SELL,
        type=OrderType.STOP_MARKET,
        size=Decimal("2E+1"),
        price=Decimal(5),
        instruction=TimeInForce.IOC,
        trigger_price=Decimal("60000.5"),
        reduce_only=True,
        stp=StpMode.EXPIRE_BOTH,
        recv_window=5000,
    )
    placed = await rest.orders.create(order)
    body = json.loads(venue.sent("POST", "/orders").content)
    assert "price" not in body  # market types omit the price and sign "0"
    assert body["size"] == "20"
    assert body["trigger_price"] == "60000.5" and body["flags"] == ["REDUCE_ONLY"]
    assert body["stp"] == "EXPIRE_BOTH" and body["recv_window"] == 5000
    assert body["instruction"] == "IOC"
    assert 0 < len(body["client_id"]) <= 64 and placed.client_id == body["client_id"]
    assert signed_ok(signer, body)


async def test_rejection_is_raised_without_lookup(rest, venue):
    venue.route("POST", "/orders", lambda r: venue.error(400, "INVALID_ORDER_SIZE", "small"))
    with pytest.raises(OrderRejected) as info:
        await rest.orders.create(LIMIT)
    assert info.value.code == "INVALID_ORDER_SIZE" and info.value.message == "small"
    assert venue.count("GET", "/orders/by_client_id/ord-0001") == 0


async def test_a_duplicate_client_id_on_other_terms_is_raised(rest, venue):
    venue.route("POST", "/orders", lambda r: venue.error(400, "DUPLICATED_CLIENT_ID", "dup"))
    other = order_resp({**json_body(LIMIT), "size": "5"}, status="OPEN")
    venue.route("GET", "/orders/by_client_id/ord-0001", lambda r: venue.json(200, other))
    with pytest.raises(OrderRejected) as info:
        await rest.orders.create(LIMIT)
    assert info.value.code == "DUPLICATED_CLIENT_ID" and info.value.message == "dup"
    assert venue.count("POST", "/orders") == 1


async def test_the_lookup_after_a_5xx_retries_until_the_order_shows_up(rest, venue, sleeps):
    venue.route("POST", "/orders", lambda r: venue.error(503, "SERVICE_UNAVAILABLE"))
    not_yet = lambda r: venue.error(404, "CLIENT_ORDER_ID_NOT_FOUND")  # noqa: E731
    found = order_resp(json_body(LIMIT), status="OPEN")
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        not_yet,
        lambda r: venue.error(502, "INTERNAL_ERROR"),
        not_yet,
        lambda r: venue.json(200, found),
    )
    venue.route("GET", "/orders-history", lambda r: venue.json(200, {"results": []}))
    order = await rest.orders.create(LIMIT)
    assert order.client_id == "ord-0001" and venue.count("POST", "/orders") == 1
    # Three misses (one a lookup failure, itself retried by the transport), three waits.
    assert len([w for w in sleeps.waits if w <= 2.0]) >= 3


async def test_the_lookup_gives_up_after_a_bounded_wait(rest, venue, sleeps):
    venue.route("POST", "/orders", timeout)
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        lambda r: venue.error(404, "CLIENT_ORDER_ID_NOT_FOUND"),
    )
    venue.route("GET", "/orders-history", lambda r: venue.json(200, {"results": []}))
    with pytest.raises(OrderStatusUnknown):
        await rest.orders.create(LIMIT)
    assert venue.count("POST", "/orders") == 1
    assert venue.count("GET", "/orders/by_client_id/ord-0001") > 3
    assert 5.0 < sum(sleeps.waits) <= RECONCILE_WINDOW


async def test_timeout_then_found_open_by_client_id(rest, venue):
    venue.route("POST", "/orders", timeout)
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        lambda r: venue.json(200, order_resp({**json_body(LIMIT)}, status="OPEN")),
    )
    order = await rest.orders.create(LIMIT)
    assert order.status is OrderStatus.OPEN and order.client_id == "ord-0001"
    assert venue.count("POST", "/orders") == 1


async def test_5xx_then_found_closed_in_history(rest, venue):
    venue.route("POST", "/orders", lambda r: venue.error(502, "INTERNAL_ERROR"))
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        lambda r: venue.error(404, "CLIENT_ORDER_ID_NOT_FOUND"),
    )
    closed = order_resp(json_body(LIMIT), status="CLOSED", remaining_size="0")
    venue.route("GET", "/orders-history", lambda r: venue.json(200, {"results": [closed]}))
    order = await rest.orders.create(LIMIT)
    assert order.status is OrderStatus.CLOSED and order.filled_size == Decimal("0.1")
    assert venue.sent("GET", "/orders-history").url.params["client_id"] == "ord-0001"
    assert venue.count("POST", "/orders") == 1


async def test_connection_error_and_not_found_is_status_unknown(rest, venue):
    def refused(request):
        raise httpx.ConnectError("reset", request=request)

    venue.route("POST", "/orders", refused)
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        lambda r: venue.error(404, "CLIENT_ORDER_ID_NOT_FOUND"),
    )
    venue.route("GET", "/orders-history", lambda r: venue.json(200, {"results": []}))
    with pytest.raises(OrderStatusUnknown) as info:
        await rest.orders.create(LIMIT)
    assert info.value.client_id == "ord-0001"
    assert venue.count("POST", "/orders") == 1


async def test_429_on_create_waits_and_resends_same_client_id(rest, venue, sleeps):
    venue.route(
        "POST",
        "/orders",
        lambda r: httpx.Response(429, headers={"Retry-After": "1.5"}),
        echo_order(),
    )
    order = await rest.orders.create(LIMIT)
    assert sleeps.waits == [1.5]
    bodies = [json.loads(r.content) for r in venue.requests if r.url.path == "/v1/orders"]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert order.client_id == "ord-0001"


async def test_429_beyond_the_wait_cap_is_raised(rest, venue, sleeps):
    venue.route("POST", "/orders", lambda r: httpx.Response(429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimited) as info:
        await rest.orders.create(LIMIT)
    assert info.value.retry_after == 120 and sleeps.waits == []


async def test_batch_create_and_lost_batch(rest, venue, signer):
    second = NewOrder("BTC-USD-PERP", Side.SELL, OrderType.LIMIT, Decimal(1), Decimal(70000))

    def batch(request):
        bodies = json.loads(request.content)
        return venue.json(
            201,
            {
                "orders": [order_resp(bodies[0])],
                "errors": [None, {"error": "INVALID_ORDER_SIZE", "message": "bad size"}],
            },
        )

    venue.route("POST", "/orders/batch", batch)
    result = await rest.orders.create_batch([LIMIT, second])
    bodies = json.loads(venue.sent("POST", "/orders/batch").content)
    assert len(bodies) == 2 and all(signed_ok(signer, b) for b in bodies)
    assert bodies[1]["client_id"] and bodies[1]["client_id"] != "ord-0001"
    assert [o.client_id for o in result.orders] == ["ord-0001"]
    assert [e.code for e in result.errors] == ["INVALID_ORDER_SIZE"]

    venue.route("POST", "/orders/batch", timeout)
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        lambda r: venue.json(200, order_resp(json_body(LIMIT))),
    )
    venue.route("GET", "/orders-history", lambda r: venue.json(200, {"results": []}))
    lost = await rest.orders.create_batch([LIMIT, second])
    assert [o.client_id for o in lost.orders] == ["ord-0001"]
    assert len(lost.unknown_client_ids) == 1 and lost.unknown_client_ids[0] != "ord-0001"
    assert venue.count("POST", "/orders/batch") == 2  # one per call, never resent


async def test_modify_body_signature_and_lost_answer(rest, venue, signer):
    venue.route(
        "GET",
        "/orders/by_client_id/ord-0001",
        lambda r: venue.json(200, order_resp(json_body(LIMIT))),
    )
    original = await rest.account.order_by_client_id("ord-0001")
    venue.route("PUT", "/orders/900", lambda r: venue.json(200, order_resp(json.loads(r.content))))
    modified = await rest.orders.modify(original, price=Decimal("2001"))
    body = json.loads(venue.sent("PUT", "/orders/900").content)
    assert {k: body[k] for k in ("id", "market", "side", "type", "size", "price")} == {
        "id": "900",
        "market": "ETH-USD-PERP",
        "side": "BUY",
        "type": "LIMIT",
        "size": "0.1",
        "price": "2001",
    }
    msg_hash = signer.hasher.modify_hash(
        market="ETH-USD-PERP",
        side="BUY",
        order_type="LIMIT",
        size=Decimal("0.1"),
        price=Decimal(2001),
        timestamp_ms=body["signature_timestamp"],
        order_id="900",
    )
    assert verify(msg_hash, parse_signature(body["signature"]), signer.public_key)
    assert modified.price == Decimal(2001)

    venue.route("PUT", "/orders/900", timeout)
    venue.route("GET", "/orders/900", lambda r: venue.json(200, order_resp(json_body(LIMIT))))
    with pytest.raises(OrderStatusUnknown):
        await rest.orders.modify(original, price=Decimal("2002"))
    venue.route(
        "GET", "/orders/900", lambda r: venue.json(200, order_resp(json_body(LIMIT), price="2002"))
    )
    assert (await rest.orders.modify(original, price=Decimal("2002"))).price == Decimal(2002)
    assert venue.count("PUT", "/orders/900") == 3


async def test_cancels(rest, venue, signer):
    venue.route("DELETE", "/orders/900", lambda r: httpx.Response(204))
    venue.route("DELETE", "/orders/by_client_id/c1", lambda r: httpx.Response(204))
    venue.route(
        "DELETE",
        "/orders/batch",
        lambda r: venue.json(
            200,
            {
                "results": [
                    {"id": "900", "market": "BTC-USD-PERP", "status": "QUEUED_FOR_CANCELLATION"},
                    {"client_id": "zz", "status": "NOT_FOUND"},
                ]
            },
        ),
    )
    await rest.orders.cancel("900")
    await rest.orders.cancel_by_client_id("c1", market="BTC-USD-PERP")
    assert venue.sent("DELETE", "/orders/by_client_id/c1").url.params["market"] == "BTC-USD-PERP"
    rows = await rest.orders.cancel_batch(order_ids=["900"], client_ids=["zz"])
    assert json.loads(venue.sent("DELETE", "/orders/batch").content) == {
        "order_ids": ["900"],
        "client_order_ids": ["zz"],
    }
    assert [r.status for r in rows] == ["QUEUED_FOR_CANCELLATION", "NOT_FOUND"]


async def test_cancel_all_is_one_delete(rest, venue, signer):
    venue.route("DELETE", "/orders", lambda r: httpx.Response(200))
    await rest.jwt.token()
    before = len(venue.requests)
    await rest.orders.cancel_all("BTC-USD-PERP")
    assert len(venue.requests) == before + 1
    request = venue.requests[-1]
    assert (request.method, request.url.path) == ("DELETE", "/v1/orders")
    assert dict(request.url.params) == {"market": "BTC-USD-PERP"}
    await rest.orders.cancel_all()
    assert dict(venue.requests[-1].url.params) == {}


async def test_cancel_all_backs_off_on_429(rest, venue, sleeps):
    venue.route(
        "DELETE",
        "/orders",
        lambda r: httpx.Response(429, headers={"x-ratelimit-reset": str(1_700_000_002)}),
        lambda r: httpx.Response(200),
    )
    await rest.orders.cancel_all()
    assert sleeps.waits == [pytest.approx(2.0)]
    assert venue.count("DELETE", "/orders") == 2


def json_body(order: NewOrder) -> dict:
    return {
        "market": order.market,
        "side": order.side.value,
        "type": order.type.value,
        "size": str(order.size),
        "price": str(order.price),
        "client_id": order.client_id,
    }
