"""Private read endpoints (§8.3): account, balance, positions, orders, fills, funding."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from terminal.sim.rest_common import (
    claims,
    context,
    ok,
    paginate,
    query_int,
    query_market,
    results,
    time_window,
)

routes = web.RouteTableDef()
_HISTORY_FILTERS = ("market", "side", "status", "type", "client_id")


@routes.get("/v1/account")
async def get_account(request: web.Request) -> web.Response:
    """Account summary: value, collateral, margin."""
    account = claims(request).account
    return ok(context(request).venue.account_json(account))


@routes.get("/v1/account/info")
async def get_account_info(request: web.Request) -> web.Response:
    """Account identity and fee rates."""
    account = claims(request).account
    venue = context(request).venue
    return results(
        [
            {
                "account": hex(account),
                "kind": "main",
                "public_key": hex(venue.public_key(account)),
                "parent_account": "",
                "username": "",
                "fees": {"maker_rate": "0.00003", "taker_rate": "0.0002"},
            }
        ]
    )


@routes.get("/v1/balance")
async def get_balance(request: web.Request) -> web.Response:
    """Token balances (USDC)."""
    return results(context(request).venue.balance_json(claims(request).account))


@routes.get("/v1/positions")
async def get_positions(request: web.Request) -> web.Response:
    """Positions."""
    return results(context(request).venue.positions_json(claims(request).account))


@routes.get("/v1/orders")
async def get_open_orders(request: web.Request) -> web.Response:
    """All open orders, optionally one market; not paginated."""
    account = claims(request).account
    market = query_market(request)
    return results(context(request).venue.open_orders_json(account, market))


@routes.get("/v1/orders-history")
async def get_orders_history(request: web.Request) -> web.Response:
    """Order history, filtered, paginated."""
    account = claims(request).account
    query_market(request)
    filters: dict[str, Any] = {k: request.query[k] for k in _HISTORY_FILTERS if k in request.query}
    for key in ("start_at", "end_at"):
        if key in request.query:
            filters[key] = query_int(request, key)
    return paginate(request, context(request).venue.orders_history_json(account, **filters))


@routes.get("/v1/orders/by_client_id/{client_id}")
async def get_order_by_client_id(request: web.Request) -> web.Response:
    """One order by client id."""
    account = claims(request).account
    client_id = request.match_info["client_id"]
    return ok(context(request).venue.order_by_client_id_json(account, client_id))


@routes.get("/v1/orders/{order_id}")
async def get_order(request: web.Request) -> web.Response:
    """One order by id."""
    account = claims(request).account
    return ok(context(request).venue.order_json(account, request.match_info["order_id"]))


@routes.get("/v1/fills")
async def get_fills(request: web.Request) -> web.Response:
    """The account's fills, paginated."""
    account = claims(request).account
    market = query_market(request)
    start_at, end_at = time_window(request)
    return paginate(request, context(request).venue.fills_json(account, market, start_at, end_at))


@routes.get("/v1/funding/payments")
async def get_funding_payments(request: web.Request) -> web.Response:
    """The account's funding payments, paginated."""
    account = claims(request).account
    market = query_market(request)
    start_at, end_at = time_window(request)
    payments = context(request).venue.funding_payments_json(account, market, start_at, end_at)
    return paginate(request, payments)
