"""Order entry shared by REST and the WebSocket `order.*` RPCs: verify, then hand to the venue."""

from __future__ import annotations

import asyncio
from typing import Any

from terminal.sim.context import SimContext
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.order_ops import MAX_BATCH
from terminal.sim.jwt import Claims

RETAIL_SPEED_BUMP_S = 0.3


def _order_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise VenueError("BINDING_ERROR", "order body must be a JSON object")
    return body


async def _speed_bump(ctx: SimContext, claims: Claims) -> None:
    if claims.interactive and ctx.config.retail_speed_bump:
        await asyncio.sleep(RETAIL_SPEED_BUMP_S)


async def create(ctx: SimContext, claims: Claims, body: Any) -> dict[str, Any]:
    """Verify and place one order; returns `OrderResp`."""
    order = _order_body(body)
    ctx.checker.order(claims.account, order)
    await _speed_bump(ctx, claims)
    return ctx.venue.create_order(claims.account, order, interactive=claims.interactive)


async def create_batch(ctx: SimContext, claims: Claims, bodies: Any) -> dict[str, Any]:
    """Verify every order first (one bad signature rejects all), then place them."""
    # the engine's limit, checked here too so an oversized batch costs no signature checks
    if not isinstance(bodies, list) or not 1 <= len(bodies) <= MAX_BATCH:
        raise VenueError("BATCH_SIZE_OUT_OF_RANGE", f"batch size must be 1..{MAX_BATCH}")
    orders = [_order_body(b) for b in bodies]
    for order in orders:
        ctx.checker.order(claims.account, order)
    await _speed_bump(ctx, claims)
    return ctx.venue.create_orders_batch(claims.account, orders)


async def modify(ctx: SimContext, claims: Claims, order_id: str, body: Any) -> dict[str, Any]:
    """Verify a `ModifyOrder` signature and amend the order; returns `OrderResp`."""
    order = _order_body(body)
    if str(order.get("id", order_id)) != order_id:
        raise VenueError("INVALID_REQUEST_PARAMETER", "body id differs from the path's order id")
    ctx.checker.order(claims.account, order, modify_id=order_id)
    await _speed_bump(ctx, claims)
    return ctx.venue.modify_order(claims.account, order_id, order)
