"""Order entry shared by REST and the WebSocket `order.*` RPCs: verify, then hand to the venue."""

from __future__ import annotations

import asyncio
from typing import Any

from terminal.sim.context import SimContext
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.order_ops import MAX_BATCH
from terminal.sim.jwt import Claims
from terminal.sim.order_fields import check_order_id, parse_order_fields

RETAIL_SPEED_BUMP_S = 0.3


async def _speed_bump(ctx: SimContext, claims: Claims) -> None:
    if claims.interactive and ctx.config.retail_speed_bump:
        await asyncio.sleep(RETAIL_SPEED_BUMP_S)


async def create(ctx: SimContext, claims: Claims, body: Any) -> dict[str, Any]:
    """Verify and place one order; returns `OrderResp`."""
    fields = parse_order_fields(body)
    ctx.checker.order(claims.account, fields, body.get("signature"))
    await _speed_bump(ctx, claims)
    return ctx.venue.create_order(claims.account, body, interactive=claims.interactive)


async def create_batch(ctx: SimContext, claims: Claims, bodies: Any) -> dict[str, Any]:
    """Verify every order first (one bad signature rejects all), then place them."""
    # the engine's limit, checked here too so an oversized batch costs no signature checks
    if not isinstance(bodies, list) or not 1 <= len(bodies) <= MAX_BATCH:
        raise VenueError("BATCH_SIZE_OUT_OF_RANGE", f"batch size must be 1..{MAX_BATCH}")
    checked = [(parse_order_fields(body), body) for body in bodies]  # every shape first
    for fields, body in checked:
        ctx.checker.order(claims.account, fields, body.get("signature"))
    await _speed_bump(ctx, claims)
    return ctx.venue.create_orders_batch(claims.account, bodies)


async def modify(ctx: SimContext, claims: Claims, order_id: str, body: Any) -> dict[str, Any]:
    """Verify a `ModifyOrder` signature and amend the order; returns `OrderResp`."""
    check_order_id(order_id)
    fields = parse_order_fields(body)
    if str(body.get("id", order_id)) != order_id:
        raise VenueError("INVALID_REQUEST_PARAMETER", "body id differs from the path's order id")
    ctx.checker.order(claims.account, fields, body.get("signature"), modify_id=order_id)
    await _speed_bump(ctx, claims)
    return ctx.venue.modify_order(claims.account, order_id, body)
