"""Private read endpoints: request shapes and mapping into domain objects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.orders import OrderStatus, OrderType, Side, TimeInForce
from terminal.venues.paradex.errors import OrderNotFound
from terminal.venues.paradex.http.client import NoSignerError, ParadexRest

ORDER = {
    "id": "1681462103821101699438490000",
    "client_id": "x1234",
    "account": "0x1",
    "market": "BTC-USD-PERP",
    "side": "BUY",
    "type": "LIMIT",
    "instruction": "POST_ONLY",
    "size": "0.05",
    "price": "26000",
    "remaining_size": "0.02",
    "avg_fill_price": "25999.5",
    "status": "OPEN",
    "cancel_reason": "",
    "flags": ["REDUCE_ONLY"],
    "stp": "EXPIRE_TAKER",
    "trigger_price": "0",
    "timestamp": 1681493746016,
    "created_at": 1681493746016,
    "last_updated_at": 1681493746017,
    "seq_no": 1681471234972000000,
    "request_info": {"id": "r", "request_type": "NEW_ORDER"},
}


async def test_account_balance_positions(rest, venue):
    venue.route(
        "GET",
        "/account",
        lambda r: venue.json(
            200,
            {
                "account": "0xabc",
                "account_value": "1000.5",
                "total_collateral": "1000",
                "free_collateral": "800",
                "initial_margin_requirement": "150",
                "maintenance_margin_requirement": "75",
                "margin_cushion": "925",
                "settlement_asset": "USDC",
                "status": "ACTIVE",
                "updated_at": 3,
                "seq_no": 9,
            },
        ),
    )
    venue.route(
        "GET",
        "/balance",
        lambda r: venue.json(
            200, {"results": [{"token": "USDC", "size": "99.5", "last_updated_at": 4}]}
        ),
    )
    position = {
        "id": "p1",
        "market": "ETH-USD-PERP",
        "side": "SHORT",
        "size": "-1.5",
        "status": "OPEN",
        "average_entry_price": "2000",
        "unrealized_pnl": "-3.2",
        "realized_positional_pnl": "1.1",
        "liquidation_price": "",
        "leverage": "4",
        "last_updated_at": 5,
    }
    venue.route("GET", "/positions", lambda r: venue.json(200, {"results": [position]}))
    summary = await rest.account.account()
    assert summary.account_value == Decimal("1000.5")
    assert summary.initial_margin == Decimal(150) and summary.maintenance_margin == Decimal(75)
    [balance] = await rest.account.balances()
    assert (balance.token, balance.size, balance.updated_at) == ("USDC", Decimal("99.5"), 4)
    [pos] = await rest.account.positions()
    assert pos.size == Decimal("-1.5") and not pos.is_long
    assert pos.realized_pnl == Decimal("1.1")
    assert pos.liquidation_price is None and pos.leverage == Decimal(4)


async def test_orders_map_to_domain(rest, venue):
    venue.route("GET", "/orders", lambda r: venue.json(200, {"results": [ORDER]}))
    venue.route("GET", f"/orders/{ORDER['id']}", lambda r: venue.json(200, ORDER))
    venue.route("GET", "/orders/by_client_id/x1234", lambda r: venue.json(200, ORDER))
    [order] = await rest.account.open_orders("BTC-USD-PERP")
    assert venue.sent("GET", "/orders").url.params["market"] == "BTC-USD-PERP"
    assert order.side is Side.BUY and order.type is OrderType.LIMIT
    assert order.instruction is TimeInForce.POST_ONLY and order.status is OrderStatus.OPEN
    assert order.filled_size == Decimal("0.03") and order.reduce_only
    assert order.price == Decimal(26000) and order.trigger_price is None
    assert order.avg_fill_price == Decimal("25999.5")
    assert order.updated_at == 1681493746017 and order.seq_no == 1681471234972000000
    assert await rest.account.order(ORDER["id"]) == order
    assert await rest.account.order_by_client_id("x1234") == order


async def test_order_lookup_not_found(rest, venue):
    venue.route(
        "GET", "/orders/by_client_id/nope", lambda r: venue.error(404, "CLIENT_ORDER_ID_NOT_FOUND")
    )
    with pytest.raises(OrderNotFound):
        await rest.account.order_by_client_id("nope")


async def test_history_lists_pass_filters_and_cursor(rest, venue):
    closed = dict(ORDER, status="CLOSED", remaining_size="0", cancel_reason="USER_CANCELED")
    venue.route(
        "GET", "/orders-history", lambda r: venue.json(200, {"results": [closed], "next": "n2"})
    )
    fill = {
        "id": "f1",
        "order_id": "o1",
        "client_id": "c1",
        "market": "BTC-USD-PERP",
        "side": "SELL",
        "size": "0.1",
        "price": "100",
        "liquidity": "MAKER",
        "fee": "-0.01",
        "realized_pnl": "2",
        "created_at": 8,
        "fill_type": "LIQUIDATION",
        "flags": ["interactive", "fastfill"],
    }
    venue.route("GET", "/fills", lambda r: venue.json(200, {"results": [fill], "next": None}))
    payment = {"id": "fp", "market": "BTC-USD-PERP", "payment": "-0.5", "index": "12.5"}
    venue.route("GET", "/funding/payments", lambda r: venue.json(200, {"results": [payment]}))

    page = await rest.account.orders_history(
        market="BTC-USD-PERP", status="CLOSED", client_id="x1234", cursor="n1", page_size=50
    )
    assert dict(venue.sent("GET", "/orders-history").url.params) == {
        "market": "BTC-USD-PERP",
        "client_id": "x1234",
        "status": "CLOSED",
        "cursor": "n1",
        "page_size": "50",
    }
    assert page.next_cursor == "n2" and page.items[0].cancel_reason == "USER_CANCELED"
    assert not page.items[0].is_working
    fills = await rest.account.fills(market="BTC-USD-PERP", start_at=1, end_at=2)
    assert dict(venue.sent("GET", "/fills").url.params) == {
        "market": "BTC-USD-PERP",
        "start_at": "1",
        "end_at": "2",
    }
    assert fills.items[0].fee == Decimal("-0.01") and fills.items[0].side is Side.SELL
    assert fills.items[0].fill_type == "LIQUIDATION"
    assert fills.items[0].flags == ("interactive", "fastfill")
    payments = await rest.account.funding_payments(market="BTC-USD-PERP")
    assert payments.items[0].payment == Decimal("-0.5") and payments.items[0].index == Decimal(
        "12.5"
    )


async def test_private_endpoints_need_a_signer():
    client = ParadexRest("http://127.0.0.1:1/v1")
    with pytest.raises(NoSignerError):
        client.account  # noqa: B018
    with pytest.raises(NoSignerError):
        client.orders  # noqa: B018
    await client.aclose()


def test_plain_http_only_on_loopback():
    with pytest.raises(ValueError):
        ParadexRest("http://api.prod.paradex.trade/v1")
