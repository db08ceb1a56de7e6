"""Order endpoints (§7): create, batch, modify, cancel, cancel-all — never sent twice.

Every order carries a `client_id` (one is generated if the caller gave none), and an
order is never lost or doubled:
- An order request whose outcome is ambiguous (timeout, dropped connection, 5xx, a
  success answer that cannot be decoded) is never resent. The order is looked up by
  client id — open orders first, then the history — and returned when found; the lookup
  is repeated with backoff for `RECONCILE_WINDOW` s of waiting (the venue may still have
  it queued), then `OrderStatusUnknown(client_id)` is raised and the trader decides.
- A 429 or 401 is resent by the transport: the venue refused the request before
  processing it. Should it have processed it after all, the resent body keeps its client
  id, the venue refuses it as `DUPLICATED_CLIENT_ID` while the first is open, and that
  refusal is resolved by the lookup: the order with our client id and our terms is
  returned (one order); one with other terms is a genuine duplicate and is raised.
- A create cancelled while its POST is in flight is reconciled in the background
  (`add_reconciled_listener` hears the outcome): the venue may have the order.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from terminal.domain.orders import NewOrder, Order
from terminal.venues.backoff import Backoff
from terminal.venues.paradex.crypto.signing import format_signature
from terminal.venues.paradex.errors import (
    BadResponse,
    NotFound,
    OrderRejected,
    OrderStatusUnknown,
    ParadexError,
    ServerError,
    TransportError,
)
from terminal.venues.paradex.http.account import AccountApi
from terminal.venues.paradex.http.auth import ServerClock, Signer
from terminal.venues.paradex.http.transport import RestTransport, Sleep, decode
from terminal.venues.paradex.schemas.private import BatchCreateResp, CancelRow, OrderResp, Results

log = logging.getLogger(__name__)

_NO_ANSWER = (TransportError, ServerError, BadResponse)
"""Failures after which an order request may or may not have been processed."""
RECONCILE_WINDOW = 10.0
"""Seconds of waiting between lookups by client id before an outcome is "unknown"."""
RECONCILE_BACKOFF = (0.25, 2.0)
"""First and longest wait (s) between those lookups."""
DUPLICATE = "DUPLICATED_CLIENT_ID"

ReconciledListener = Callable[[str, "Order | OrderStatusUnknown"], None]


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
        self,
        http: RestTransport,
        signer: Signer,
        clock: ServerClock,
        lookup: AccountApi,
        *,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        reconcile_window: float = RECONCILE_WINDOW,
    ) -> None:
        self._http = http
        self._signer = signer
        self._clock = clock
        self._lookup = lookup
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._reconcile_window = reconcile_window
        self._background: set[asyncio.Task[None]] = set()
        self._reconciled_listeners: list[ReconciledListener] = []

    def add_reconciled_listener(self, callback: ReconciledListener) -> None:
        """Call `callback(client_id, order or OrderStatusUnknown)` when a create that was
        cancelled in flight has been reconciled in the background."""
        self._reconciled_listeners.append(callback)

    async def aclose(self) -> None:
        """Stop background reconciliations (the venue connection is closing)."""
        tasks = list(self._background)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

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
            return decode(raw, OrderResp).to_domain()
        except _NO_ANSWER as exc:
            log.warning("order %s got no clear answer (%s); looking it up", order.client_id, exc)
            return await self.reconcile(order.client_id)
        except OrderRejected as exc:
            if exc.code != DUPLICATE:
                raise
            return await self._placed_before(order, exc)
        except asyncio.CancelledError:
            self._reconcile_in_background(order.client_id)
            raise

    async def _placed_before(self, order: NewOrder, refusal: OrderRejected) -> Order:
        """The open order a `DUPLICATED_CLIENT_ID` refusal points at, if it is this one."""
        try:
            placed = await self._lookup.order_by_client_id(order.client_id)
        except ParadexError:
            raise refusal from None
        price = None if order.type.is_market else order.price
        same = (placed.market, placed.side, placed.type, placed.size) == (
            order.market,
            order.side,
            order.type,
            order.size,
        ) and (price is None or placed.price == price)
        if not same:
            raise refusal
        log.warning("order %s was already placed; not placing it twice", order.client_id)
        return placed

    def _reconcile_in_background(self, client_id: str) -> None:
        log.warning("order %s cancelled in flight; reconciling it", client_id)
        task = asyncio.get_running_loop().create_task(
            self._report_reconciled(client_id), name=f"reconcile order {client_id}"
        )
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _report_reconciled(self, client_id: str) -> None:
        outcome: Order | OrderStatusUnknown
        try:
            outcome = await self.reconcile(client_id)
        except OrderStatusUnknown as exc:
            outcome = exc
        log.warning("order %s cancelled in flight, reconciled: %s", client_id, outcome)
        for callback in list(self._reconciled_listeners):
            try:
                callback(client_id, outcome)
            except Exception:
                log.exception("reconciled-order listener failed")

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
        try:
            answer = decode(raw, BatchCreateResp)
        except BadResponse as exc:
            log.warning("order batch answer undecodable (%s); looking it up", exc)
            return await self._find_batch([o.client_id for o in orders])
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
        """The order with `client_id`, open or closed, else `OrderStatusUnknown` (one look)."""
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

    async def reconcile(self, client_id: str) -> Order:
        """The order with `client_id`, looked up again with backoff while it is not found
        (it may still be queued), for `reconcile_window` s; then `OrderStatusUnknown`."""
        backoff = Backoff(*RECONCILE_BACKOFF, rng=self._rng)
        waited = 0.0
        while True:
            try:
                return await self.find(client_id)
            except OrderStatusUnknown as exc:
                wait = backoff.next()
                if waited + wait > self._reconcile_window:
                    raise
                log.info("order %s not found yet (%s); looking again", client_id, exc.message)
            waited += wait
            await self._sleep(wait)

    async def _find_batch(self, client_ids: list[str]) -> BatchResult:
        outcomes = await asyncio.gather(
            *(self.reconcile(c) for c in client_ids), return_exceptions=True
        )
        found: list[Order] = []
        unknown: list[str] = []
        for client_id, outcome in zip(client_ids, outcomes, strict=True):
            if isinstance(outcome, Order):
                found.append(outcome)
            elif isinstance(outcome, OrderStatusUnknown):
                unknown.append(client_id)
            else:
                raise outcome
        return BatchResult(orders=found, unknown_client_ids=unknown)
