"""Order endpoints (§7): create, batch, modify, cancel, cancel-all — never sent twice.

An order request that gets no clear answer (timeout, dropped connection, 5xx) is not
resent. Every order carries a `client_id` (one is generated if the caller gave none);
after such a failure the order is looked up by that id — open orders first, then the
history — and returned if found; otherwise `OrderStatusUnknown(client_id)` is raised and
the trader decides. A 429 or 401 is retried by the transport: the venue refused the
request before processing it, and a resent body keeps its client id, so the venue itself
rejects a duplicate (`DUPLICATED_CLIENT_ID`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from terminal.domain.orders import NewOrder, Order
from terminal.venues.paradex.crypto.signing import format_signature
from terminal.venues.paradex.errors import (
    NotFound,
    OrderRejected,
    OrderStatusUnknown,
    ParadexError,
    ServerError,
    TransportError,
)
from terminal.venues.paradex.http.account import AccountApi
from terminal.venues.paradex.http.auth import ServerClock, Signer
from terminal.venues.paradex.http.transport import RestTransport, decode
from terminal.venues.paradex.schemas.private import BatchCreateResp, CancelRow, OrderResp, Results

log = logging.getLogger(__name__)

_NO_ANSWER = (TransportError, ServerError)
"""Failures after which an order request may or may not have been processed."""


def new_client_id() -> str:
    """A fresh client order id (32 hex characters; the venue allows 64)."""
    return uuid.uuid4().hex


def _plain(value: Decimal) -> str:
    # str(Decimal) would write large or normalised values with an exponent ("1E+1").
    return format(value, "f")


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The outcome of a batch create: accepted orders, rejections, and unknown outcomes."""

    orders: list[Order]
    errors: list[OrderRejected] = field(default_factory=list)
    unknown_client_ids: list[str] = field(default_factory=list)


class OrdersApi:
    """Signs and sends order requests; reconciles by client id when an answer is lost."""

    def __init__(
        self, http: RestTransport, signer: Signer, clock: ServerClock, lookup: AccountApi
    ) -> None:
        self._http = http
        self._signer = signer
        self._clock = clock
        self._lookup = lookup

    def body(self, order: NewOrder) -> dict[str, object]:
        """The signed `POST /orders` body (§7.1) for `order`, which must have a client id."""
        timestamp_ms = self._clock.now_ms()
        # Only limit types carry and sign a price; market types sign "0" and omit it (SDK).
        price = order.price if order.price is not None and not order.type.is_market else None
        signature = self._signer.sign_order(
            market=order.market,
            side=order.side.value,
            order_type=order.type.value,
            size=order.size,
            price=price if price is not None else Decimal(0),
            timestamp_ms=timestamp_ms,
        )
        body: dict[str, object] = {
            "market": order.market,
            "side": order.side.value,
            "type": order.type.value,
            "size": _plain(order.size),
            "instruction": order.instruction.value,
            "client_id": order.client_id,
            "signature": format_signature(signature),
            "signature_timestamp": timestamp_ms,
            "recv_window": order.recv_window,
            "stp": order.stp.value if order.stp else None,
        }
        if price is not None:
            body["price"] = _plain(price)
        if order.trigger_price is not None:
            body["trigger_price"] = _plain(order.trigger_price)
        if order.reduce_only:
            body["flags"] = ["REDUCE_ONLY"]
        return body

    async def create(self, order: NewOrder) -> Order:
        """`POST /orders`; after a lost answer, the order found by client id (or raises)."""
        if not order.client_id:
            order = replace(order, client_id=new_client_id())
        body = self.body(order)
        try:
            raw = await self._http.send("POST", "/orders", body=body, auth=True, idempotent=False)
        except _NO_ANSWER as exc:
            log.warning("order %s got no clear answer (%s); looking it up", order.client_id, exc)
            return await self.find(order.client_id)
        return decode(raw, OrderResp).to_domain()

    async def create_batch(self, orders: Sequence[NewOrder]) -> BatchResult:
        """`POST /orders/batch` (1–10 orders, each signed); reconciled like `create`."""
        orders = [o if o.client_id else replace(o, client_id=new_client_id()) for o in orders]
        bodies = [self.body(o) for o in orders]
        try:
            raw = await self._http.send(
                "POST", "/orders/batch", body=bodies, auth=True, idempotent=False
            )
        except _NO_ANSWER as exc:
            log.warning("order batch got no clear answer (%s); looking it up", exc)
            return await self._find_batch([o.client_id for o in orders])
        answer = decode(raw, BatchCreateResp)
        return BatchResult(
            orders=[row.to_domain() for row in answer.orders],
            errors=[OrderRejected(e.error, e.message, 400) for e in answer.errors if e is not None],
        )

    async def modify(
        self,
        order: Order,
        *,
        size: Decimal | None = None,
        price: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> Order:
        """`PUT /orders/{id}`: new size/price (market, side and type stay); never resent.

        On a lost answer the order is read back: if it shows the new values it is
        returned, otherwise `OrderStatusUnknown`.
        """
        new_size = order.size if size is None else size
        new_price = price if price is not None else (order.price or Decimal(0))
        timestamp_ms = self._clock.now_ms()
        signature = self._signer.sign_modify(
            market=order.market,
            side=order.side.value,
            order_type=order.type.value,
            size=new_size,
            price=new_price,
            timestamp_ms=timestamp_ms,
            order_id=order.id,
        )
        body: dict[str, object] = {
            "id": order.id,
            "market": order.market,
            "side": order.side.value,
            "type": order.type.value,
            "size": _plain(new_size),
            "price": _plain(new_price),
            "signature": format_signature(signature),
            "signature_timestamp": timestamp_ms,
        }
        if trigger_price is not None:
            body["trigger_price"] = _plain(trigger_price)
        try:
            raw = await self._http.send(
                "PUT", f"/orders/{order.id}", body=body, auth=True, idempotent=False
            )
        except _NO_ANSWER as exc:
            log.warning("modify of %s got no clear answer (%s); reading it back", order.id, exc)
            try:
                current = await self._lookup.order(order.id)
            except ParadexError as lookup_error:
                raise OrderStatusUnknown(order.client_id or order.id, str(lookup_error)) from exc
            if current.size == new_size and (current.price or Decimal(0)) == new_price:
                return current
            raise OrderStatusUnknown(
                order.client_id or order.id, "the modify's outcome is unknown"
            ) from exc
        return decode(raw, OrderResp).to_domain()

    async def cancel(self, order_id: str) -> None:
        """`DELETE /orders/{order_id}`: queued; the `orders` channel confirms the close."""
        await self._http.send("DELETE", f"/orders/{order_id}", auth=True)

    async def cancel_by_client_id(self, client_id: str, market: str | None = None) -> None:
        """`DELETE /orders/by_client_id/{client_id}` (`market` makes it faster)."""
        path = f"/orders/by_client_id/{client_id}"
        await self._http.send("DELETE", path, params={"market": market}, auth=True)

    async def cancel_all(self, market: str | None = None) -> None:
        """`DELETE /orders[?market=]`: one request, nothing fetched first."""
        await self._http.send("DELETE", "/orders", params={"market": market}, auth=True)

    async def cancel_batch(
        self, order_ids: Sequence[str] = (), client_ids: Sequence[str] = ()
    ) -> list[CancelRow]:
        """`DELETE /orders/batch`: a row per id (`QUEUED_FOR_CANCELLATION`, `NOT_FOUND`, ...)."""
        body: dict[str, object] = {}
        if order_ids:
            body["order_ids"] = list(order_ids)
        if client_ids:
            body["client_order_ids"] = list(client_ids)
        raw = await self._http.send("DELETE", "/orders/batch", body=body, auth=True)
        return decode(raw, Results[CancelRow]).results

    async def find(self, client_id: str) -> Order:
        """The order with `client_id`, open or closed, else `OrderStatusUnknown`."""
        try:
            return await self._lookup.order_by_client_id(client_id)
        except NotFound:
            pass
        except ParadexError as exc:
            raise OrderStatusUnknown(client_id, f"lookup failed: {exc}") from exc
        try:
            page = await self._lookup.orders_history(client_id=client_id)
        except ParadexError as exc:
            raise OrderStatusUnknown(client_id, f"lookup failed: {exc}") from exc
        if page.items:
            return page.items[0]
        raise OrderStatusUnknown(client_id)

    async def _find_batch(self, client_ids: list[str]) -> BatchResult:
        found: list[Order] = []
        unknown: list[str] = []
        for client_id in client_ids:
            try:
                found.append(await self.find(client_id))
            except OrderStatusUnknown:
                unknown.append(client_id)
        return BatchResult(orders=found, unknown_client_ids=unknown)
