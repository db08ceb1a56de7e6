"""Order management on top of the exchange: cancels, batch create, modify."""

from __future__ import annotations

from typing import Any

from terminal.domain.orders import OrderStatus
from terminal.sim.engine import wire
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.exchange import Exchange
from terminal.sim.engine.orders import SimOrder, parse_price, parse_size

MAX_BATCH = 10


def _cancel(ex: Exchange, order: SimOrder) -> None:
    ex.close(order, "USER_CANCELED")
    ex.flush(order.market)


def cancel_order(ex: Exchange, account: int, order_id: str) -> None:
    """Cancel one order by id (ORDER_ID_NOT_FOUND, ORDER_IS_CLOSED)."""
    order = ex.find_order(ex.account(account), order_id)
    if not order.is_open:
        raise VenueError("ORDER_IS_CLOSED", f"order {order_id} is closed")
    _cancel(ex, order)


def cancel_by_client_id(ex: Exchange, account: int, client_id: str, market: str | None) -> None:
    """Cancel the open order with this client id (CLIENT_ORDER_ID_NOT_FOUND)."""
    order = ex.account(account).open_by_client_id.get(client_id)
    if order is None or (market is not None and order.market != market):
        raise VenueError("CLIENT_ORDER_ID_NOT_FOUND", f"client id {client_id!r} not found", 404)
    _cancel(ex, order)


def cancel_all(ex: Exchange, account: int, market: str | None) -> list[dict[str, Any]]:
    """Cancel every open order (of one market); returns the closed orders."""
    if market is not None:
        ex.spec(market)
    acct = ex.account(account)
    closed = []
    touched = set()
    for order in list(acct.open_orders.values()):
        if market is None or order.market == market:
            ex.close(order, "USER_CANCELED")
            closed.append(wire.order_json(order))
            touched.add(order.market)
    for m in sorted(touched):
        ex.flush(m)
    return closed


def cancel_batch(
    ex: Exchange, account: int, order_ids: list[str], client_ids: list[str]
) -> dict[str, Any]:
    """§7.5 batch cancel: a result row per identifier given."""
    acct = ex.account(account)
    results: list[dict[str, Any]] = []
    targets: list[tuple[SimOrder | None, dict[str, Any]]] = []
    for oid in order_ids:
        targets.append((acct.orders.get(oid), {"id": oid}))
    for cid in client_ids:
        targets.append((acct.by_client_id(cid), {"client_id": cid}))
    for order, ident in targets:
        if order is None:
            results.append({**ident, "status": "NOT_FOUND"})
            continue
        status = "QUEUED_FOR_CANCELLATION" if order.is_open else "ALREADY_CLOSED"
        if order.is_open:
            _cancel(ex, order)
        results.append(
            {
                "id": order.id,
                "client_id": order.client_id,
                "account": hex(order.account),
                "market": order.market,
                "status": status,
            }
        )
    return {"results": results}


def create_batch(ex: Exchange, account: int, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """§7.6 batch create: each order accepted or rejected on its own."""
    if not isinstance(bodies, list) or not 1 <= len(bodies) <= MAX_BATCH:
        raise VenueError("BATCH_SIZE_OUT_OF_RANGE", f"batch size must be 1..{MAX_BATCH}")
    ex.account(account)
    orders, errors = [], []
    for body in bodies:
        try:
            orders.append(ex.create_order(account, body))
        except VenueError as exc:
            errors.append({"error": exc.code, "message": exc.message})
    return {"orders": orders, "errors": errors}


def modify_order(ex: Exchange, account: int, order_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """§7.4 modify: new size/price (and trigger while untriggered); the order keeps its id."""
    acct = ex.account(account)
    order = ex.find_order(acct, order_id)
    if body.get("id") not in (None, order_id):
        raise VenueError("VALIDATION_ERROR", "body id does not match the path")
    if not order.is_open:
        raise VenueError("ORDER_IS_CLOSED", f"order {order_id} is closed")
    if order.status is OrderStatus.NEW:
        raise VenueError("ORDER_IS_NOT_OPEN", f"order {order_id} is not open yet")
    spec = ex.spec(order.market)
    if (
        body.get("market") != order.market
        or body.get("side") != ("BUY" if order.is_buy else "SELL")
        or body.get("type") != order.type.value
    ):
        raise VenueError("VALIDATION_ERROR", "market, side and type cannot be modified")
    if order.type.is_market and order.status is not OrderStatus.UNTRIGGERED:
        raise VenueError("VALIDATION_ERROR", "a market order cannot be modified")
    size = parse_size(spec, body.get("size"))
    if size <= order.filled:
        raise VenueError("INVALID_ORDER_SIZE", "new size is not above the filled size")
    price = 0 if order.type.is_market else parse_price(spec, body.get("price"))
    trigger = order.trigger_price
    if order.status is OrderStatus.UNTRIGGERED and body.get("trigger_price") not in (None, ""):
        trigger = parse_price(spec, body["trigger_price"], "trigger_price")
    ex.reprice(order, price, size, trigger)
    order.request_info = {
        "id": ex.ids.next(ex.now_ms),
        "request_type": "MODIFY_ORDER",
        "status": "COMPLETED",
        "message": "",
    }
    ex.flush(order.market)
    return wire.order_json(order)
