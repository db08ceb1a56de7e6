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
    return ok(context(request).venue.private.account_json(account))


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
    return results(context(request).venue.private.balance_json(claims(request).account))


@routes.get("/v1/positions")
async def get_positions(request: web.Request) -> web.Response:
    """Positions."""
    return results(context(request).venue.private.positions_json(claims(request).account))


@routes.get("/v1/orders")
async def get_open_orders(request: web.Request) -> web.Response:
    """All open orders, optionally one market; not paginated."""
    account = claims(request).account
    market = query_market(request)
    return results(context(request).venue.private.open_orders_json(account, market))


@routes.get("/v1/orders-history")
async def get_orders_history(request: web.Request) -> web.Response:
    """Order history, filtered, paginated."""
    account = claims(request).account
    query_market(request)
    filters: dict[str, Any] = {k: request.query[k] for k in _HISTORY_FILTERS if k in request.query}
    for key in ("start_at", "end_at"):
        if key in request.query:
            filters[key] = query_int(request, key)
    return paginate(request, context(request).venue.private.orders_history_json(account, **filters))


@routes.get("/v1/orders/by_client_id/{client_id}")
async def get_order_by_client_id(request: web.Request) -> web.Response:
    """One order by client id."""
    account = claims(request).account
    client_id = request.match_info["client_id"]
    return ok(context(request).venue.private.order_by_client_id_json(account, client_id))


@routes.get("/v1/orders/{order_id}")
async def get_order(request: web.Request) -> web.Response:
    """One order by id."""
    account = claims(request).account
    return ok(context(request).venue.private.order_json(account, request.match_info["order_id"]))


@routes.get("/v1/fills")
async def get_fills(request: web.Request) -> web.Response:
    """The account's fills, paginated."""
    account = claims(request).account
    market = query_market(request)
    start_at, end_at = time_window(request)
    return paginate(
        request, context(request).venue.private.fills_json(account, market, start_at, end_at)
    )


@routes.get("/v1/funding/payments")
async def get_funding_payments(request: web.Request) -> web.Response:
    """The account's funding payments, paginated."""
    account = claims(request).account
    market = query_market(request)
    start_at, end_at = time_window(request)
    payments = context(request).venue.private.funding_payments_json(
        account, market, start_at, end_at
    )
    return paginate(request, payments)


@routes.get("/v1/account/profile")
async def get_account_profile(request: web.Request) -> web.Response:
    """The account's profile."""
    return ok(context(request).venue.private.profile_json(claims(request).account))


@routes.get("/v1/account/subaccounts")
async def get_subaccounts(request: web.Request) -> web.Response:
    """The account's sub-accounts."""
    return results(context(request).venue.private.subaccounts_json(claims(request).account))


@routes.get("/v1/transfers")
async def get_transfers(request: web.Request) -> web.Response:
    """Deposits and withdrawals, paginated."""
    account = claims(request).account
    status = request.query.get("status") or None
    start_at, end_at = time_window(request)
    rows = context(request).venue.private.transfers_json(account, status, start_at, end_at)
    return paginate(request, rows)


@routes.get("/v1/transactions")
async def get_transactions(request: web.Request) -> web.Response:
    """Settlement transactions of the account's fills and liquidations, paginated."""
    account = claims(request).account
    start_at, end_at = time_window(request)
    rows = context(request).venue.private.transactions_json(account, start_at, end_at)
    return paginate(request, rows)


@routes.get("/v1/tradebusts")
async def get_tradebusts(request: web.Request) -> web.Response:
    """Busted fills, paginated."""
    account = claims(request).account
    time_window(request)  # bad filters are refused here as on every history list
    return paginate(request, context(request).venue.private.tradebusts_json(account))


@routes.get("/v1/liquidations")
async def get_liquidations(request: web.Request) -> web.Response:
    """The account's liquidations within `from`..`to` (ms), not paginated."""
    account = claims(request).account
    start_at = query_int(request, "from", 0)
    end_at = query_int(request, "to", context(request).now_ms())
    return results(context(request).venue.private.liquidations_json(account, start_at, end_at))
