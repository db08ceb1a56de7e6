"""The trading orchestrator: place, modify, cancel, cancel-all, close and flatten.

API (the trading binding and the panels call exactly this):

    trading = TradingService(venue, account, instruments, supervisor)
    trading.add_listener(cb)              # cb(TradingEvent): sent, accepted, rejected, ...
    trading.submit(new_order)             # fire and forget: the outcome comes as events
    ack = await trading.place(new_order)  # OrderAck; raises VenueError subclasses
    trading.modify(order_id, price=..., size=...)     # events
    trading.cancel(order_id)
    run = trading.cancel_all(market=None) # sent at once; `run` is proven afterwards
    trading.close_position(market, fraction=Decimal(1), limit_price=None)
    trading.flatten_all()                 # cancel-all, then reduce-only market closes
    trading.reconcile(client_id)          # look up an order whose outcome was unknown
    trading.latency.summary()             # sign / round-trip percentiles

Every order gets a fresh `client_id` here, so nothing is ever sent twice: an order whose
answer was lost is looked up by that id (by the venue) and, if still unknown, reported
as UNKNOWN with a Reconcile action — never resent. Cancels and cancel-all go out on
tasks of their own, so they never wait behind a signature or another request.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from terminal.domain.errors import VenueError, VenueOrderRejected, VenueOrderStatusUnknown
from terminal.domain.instruments import Instrument
from terminal.domain.orders import NewOrder, Order, OrderAck, OrderType, Side, TimeInForce
from terminal.services.account_data import AccountDataService
from terminal.services.cancel_all import CancelAllRun, OpenOrdersView, run_cancel_all
from terminal.services.order_latency import OrderLatency
from terminal.services.supervisor import Group, Supervisor
from terminal.services.trading_events import EventKind, Level, TradingEvent
from terminal.venues.api import TradingVenue

log = logging.getLogger(__name__)

Listener = Callable[[TradingEvent], None]


def new_client_id() -> str:
    """A fresh client order id (32 hex characters)."""
    return uuid.uuid4().hex


class TradingService:
    """Sends the trader's orders and cancels, and says what became of each."""

    def __init__(
        self,
        venue: TradingVenue,
        account: AccountDataService,
        instruments: Mapping[str, Instrument],
        supervisor: Supervisor,
    ) -> None:
        self._venue = venue
        self._account = account
        self._instruments = instruments
        self._supervisor = supervisor
        self._listeners: list[Listener] = []
        self._view = OpenOrdersView(
            lambda: account.open_orders, lambda: account.live, account.add_listener
        )
        self.latency = OrderLatency()
        self.last_cancel_all: CancelAllRun | None = None

    def add_listener(self, callback: Listener) -> None:
        """Call `callback(event)` for everything that happens to the trader's orders."""
        self._listeners.append(callback)

    # -- orders ------------------------------------------------------------------------

    def submit(self, order: NewOrder) -> str:
        """Send `order` in the background; returns its client id (outcome as events)."""
        order = self._with_client_id(order)
        self._spawn(self._place_reporting(order), f"place {order.client_id}")
        return order.client_id

    async def place(self, order: NewOrder) -> OrderAck:
        """Sign and send `order`; record its latency; report the outcome as events."""
        order = self._with_client_id(order)
        self._emit(EventKind.SENT, Level.INFO, order.describe(), order.market, order.client_id)
        # One signature per loop turn: a burst of orders interleaves with paints and
        # cancels instead of signing all at once.
        await asyncio.sleep(0)
        try:
            ack = await self._venue.place(order)
        except VenueOrderRejected as exc:
            self._emit(
                EventKind.REJECTED,
                Level.ERROR,
                f"{order.describe()}: {exc.message}",
                order.market,
                order.client_id,
            )
            raise
        except VenueOrderStatusUnknown as exc:
            self._emit(
                EventKind.UNKNOWN,
                Level.ERROR,
                f"{order.describe()}: outcome unknown ({exc.message}); reconcile",
                order.market,
                order.client_id,
            )
            raise
        self.latency.record(ack.sign_ms, ack.rtt_ms)
        self._emit(
            EventKind.ACCEPTED,
            Level.INFO,
            f"{order.describe()}: accepted ({ack.rtt_ms:.0f} ms)",
            order.market,
            order.client_id,
            ack.order,
        )
        return ack

    def modify(
        self, order_id: str, *, price: Decimal | None = None, size: Decimal | None = None
    ) -> None:
        """Move a working order to a new price and/or size (outcome as events)."""
        order = self._account.open_orders.get(order_id)
        if order is None:
            self._emit(EventKind.ERROR, Level.WARNING, f"order {order_id} is no longer open")
            return
        self._spawn(self._modify(order, price, size), f"modify {order_id}")

    def cancel(self, order_id: str) -> None:
        """Ask the venue to cancel one order (the orders stream confirms it)."""
        self._spawn(self._cancel(order_id), f"cancel {order_id}")

    def reconcile(self, client_id: str) -> None:
        """Look up an order whose outcome was unknown and report what the venue has."""
        self._spawn(self._reconcile(client_id), f"reconcile {client_id}")

    # -- cancel-all and flatten --------------------------------------------------------

    def cancel_all(self, market: str | None = None) -> CancelAllRun:
        """Cancel every working order (of `market`) now; the returned run gets proven."""
        run = CancelAllRun(market, started=time.perf_counter())
        self.last_cancel_all = run
        # Called here, not in the task: the venue writes the request within this call
        # (the click's loop turn); the task awaits its answer and proves the result.
        sent = self._venue.cancel_all(market)
        self._supervisor.spawn(
            run_cancel_all(self._venue, self._view, run, self._report_cancel_all, sent=sent),
            name=f"cancel-all {run.scope}",
            group=Group.SERVICES,
        )
        return run

    def close_position(
        self, market: str, fraction: Decimal = Decimal(1), limit_price: Decimal | None = None
    ) -> None:
        """Close `fraction` of the position in `market` with a reduce-only order."""
        order = self._closing_order(market, fraction, limit_price)
        if order is not None:
            self.submit(order)

    def flatten_all(self) -> None:
        """Cancel every order, then close every position at market (reduce-only)."""
        run = self.cancel_all()
        self._spawn(self._flatten_after(run), "flatten all")

    # -- internals ---------------------------------------------------------------------

    def _closing_order(
        self, market: str, fraction: Decimal, limit_price: Decimal | None
    ) -> NewOrder | None:
        position = self._account.positions.get(market)
        instrument = self._instruments.get(market)
        if position is None or position.size == 0 or instrument is None:
            self._emit(EventKind.ERROR, Level.WARNING, f"no open position in {market}", market)
            return None
        size = instrument.round_size(abs(position.size) * fraction)
        if size <= 0:
            self._emit(
                EventKind.ERROR,
                Level.WARNING,
                f"{fraction} of {abs(position.size)} is below one size step",
                market,
            )
            return None
        side = Side.SELL if position.size > 0 else Side.BUY
        if limit_price is None:
            return NewOrder(market, side, OrderType.MARKET, size, reduce_only=True)
        return NewOrder(
            market,
            side,
            OrderType.LIMIT,
            size,
            limit_price,
            instruction=TimeInForce.GTC,
            reduce_only=True,
        )

    async def _flatten_after(self, run: CancelAllRun) -> None:
        while not run.done:
            await self._view.wait_change(0.2)
        for market in list(self._account.positions):
            order = self._closing_order(market, Decimal(1), None)
            if order is not None:
                await self._place_reporting(self._with_client_id(order))
        self._emit(EventKind.FLATTEN, Level.INFO, "flatten: every position sent to close")

    async def _place_reporting(self, order: NewOrder) -> None:
        try:
            await self.place(order)
        except (VenueError, TimeoutError) as exc:
            if not isinstance(exc, VenueOrderRejected | VenueOrderStatusUnknown):
                self._emit(
                    EventKind.ERROR,
                    Level.ERROR,
                    f"{order.describe()}: {exc}",
                    order.market,
                    order.client_id,
                )

    async def _modify(self, order: Order, price: Decimal | None, size: Decimal | None) -> None:
        try:
            ack = await self._venue.modify(order, price=price, size=size)
        except (VenueError, TimeoutError) as exc:
            self._emit(
                EventKind.REJECTED,
                Level.ERROR,
                f"modify {order.market}: {exc}",
                order.market,
                order.client_id,
            )
            return
        self.latency.record(ack.sign_ms, ack.rtt_ms)
        new = ack.order
        self._emit(
            EventKind.MODIFIED,
            Level.INFO,
            f"modified {new.market} {new.side} {new.remaining_size} @ {new.price}",
            new.market,
            new.client_id,
            new,
        )

    async def _cancel(self, order_id: str) -> None:
        try:
            await self._venue.cancel(order_id)
        except (VenueError, TimeoutError) as exc:
            self._emit(EventKind.ERROR, Level.WARNING, f"cancel {order_id}: {exc}")
            return
        self._emit(EventKind.CANCEL_SENT, Level.INFO, f"cancel sent for {order_id}")

    async def _reconcile(self, client_id: str) -> None:
        try:
            order = await self._venue.find_order(client_id)
        except VenueOrderStatusUnknown:
            self._emit(
                EventKind.UNKNOWN,
                Level.WARNING,
                f"order {client_id}: the venue has no such order (it was not placed)",
                client_id=client_id,
            )
            return
        except (VenueError, TimeoutError) as exc:
            self._emit(
                EventKind.UNKNOWN,
                Level.ERROR,
                f"order {client_id}: lookup failed ({exc}); still unknown, try again",
                client_id=client_id,
            )
            return
        self._emit(
            EventKind.ACCEPTED,
            Level.INFO,
            f"order {client_id} found: {order.status} {order.market}",
            order.market,
            client_id,
            order,
        )

    def _report_cancel_all(self, run: CancelAllRun) -> None:
        level = Level.INFO
        if run.error or (run.done and run.still_open):
            level = Level.ERROR
        elif run.still_open:
            level = Level.WARNING
        self._emit(EventKind.CANCEL_ALL, level, run.describe(), run.market)

    def _with_client_id(self, order: NewOrder) -> NewOrder:
        return order if order.client_id else replace(order, client_id=new_client_id())

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        self._supervisor.spawn(coro, name=name, group=Group.SERVICES)

    def _emit(
        self,
        kind: EventKind,
        level: Level,
        text: str,
        market: str | None = None,
        client_id: str | None = None,
        order: Order | None = None,
    ) -> None:
        event = TradingEvent(kind, level, text, market, order, client_id)
        log.log(logging.INFO if level is Level.INFO else logging.WARNING, "%s", text)
        for callback in list(self._listeners):
            try:
                callback(event)
            except Exception:
                log.exception("trading listener failed on %s", kind)
