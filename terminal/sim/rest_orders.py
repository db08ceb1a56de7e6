"""Order entry over REST (§7): create, batch, modify, cancel."""

from __future__ import annotations

from aiohttp import web

from terminal.sim import order_entry
from terminal.sim.engine.errors import VenueError
from terminal.sim.rest_common import body_json, claims, context, ok, query_market

routes = web.RouteTableDef()


@routes.post("/v1/orders")
async def post_order(request: web.Request) -> web.Response:
    """Place one signed order → 201 `OrderResp`."""
    who = claims(request)
    body = await body_json(request)
    return ok(await order_entry.create(context(request), who, body), status=201)


@routes.post("/v1/orders/batch")
async def post_orders_batch(request: web.Request) -> web.Response:
    """Place a batch of signed orders → 201 {"orders", "errors"}."""
    who = claims(request)
    body = await body_json(request)
    return ok(await order_entry.create_batch(context(request), who, body), status=201)


@routes.put("/v1/orders/{order_id}")
async def put_order(request: web.Request) -> web.Response:
    """Modify an open order with a `ModifyOrder` signature → 200 `OrderResp`."""
    who = claims(request)
    body = await body_json(request)
    order_id = request.match_info["order_id"]
    return ok(await order_entry.modify(context(request), who, order_id, body))


@routes.delete("/v1/orders/batch")
async def delete_orders_batch(request: web.Request) -> web.Response:
    """Cancel by ids and/or client ids → 200 {"results": [...]}."""
    who = claims(request)
    body = await body_json(request)
    if not isinstance(body, dict):
        raise VenueError(
            "BINDING_ERROR", 'body must be {"order_ids": [...], "client_order_ids": [...]}'
        )
    order_ids = body.get("order_ids") or []
    client_ids = body.get("client_order_ids") or []
    if not isinstance(order_ids, list) or not isinstance(client_ids, list):
        raise VenueError("VALIDATION_ERROR", "order_ids and client_order_ids must be arrays")
    return ok(context(request).venue.cancel_batch(who.account, order_ids, client_ids))


@routes.delete("/v1/orders/by_client_id/{client_id}")
async def delete_order_by_client_id(request: web.Request) -> web.Response:
    """Cancel one order by client id → 204."""
    who = claims(request)
    market = query_market(request)
    context(request).venue.cancel_by_client_id(who.account, request.match_info["client_id"], market)
    return web.Response(status=204)


@routes.delete("/v1/orders/{order_id}")
async def delete_order(request: web.Request) -> web.Response:
    """Cancel one order by id → 204."""
    who = claims(request)
    context(request).venue.cancel_order(who.account, request.match_info["order_id"])
    return web.Response(status=204)


@routes.delete("/v1/orders")
async def delete_orders(request: web.Request) -> web.Response:
    """Cancel all open orders, optionally one market → 200 {"results": [...]}."""
    who = claims(request)
    market = query_market(request)
    return ok({"results": context(request).venue.cancel_all(who.account, market)})
