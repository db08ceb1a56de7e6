"""The account as the venue sees it: summary, positions, open orders, recent fills.

API (view-models call exactly this):

    account = AccountDataService(connection, supervisor)
    await account.start()                 # subscribe the private channels, then reconcile
    account.summary        # AccountSummary | None
    account.positions      # dict[str, Position] by market (open positions only)
    account.open_orders    # dict[str, Order] by order id (working orders only)
    account.fills          # list[Fill], newest first (the last `max_fills`)
    account.live           # False from a disconnect until the REST reconciliation is done
    account.add_listener(cb)   # cb(kind) with kind in KINDS, after each change
    await account.reconcile()  # re-read everything over REST (also run after reconnects)
    account.close()            # release the channel leases

Kept current from the private streams (orders, fills, positions, account)
and re-read over REST on start and after every reconnect: the connection runs
`reconcile` (again, with backoff, until it succeeds) before it reports LIVE again, and
`live` stays False until one has succeeded. Updates that arrive over the WebSocket while a
REST read is in flight win over it when they are newer, so a reconciliation never rolls
an order back to an older state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from terminal.domain.account import AccountSummary, Fill, Position
from terminal.domain.errors import TradingUnavailable
from terminal.domain.orders import Order
from terminal.domain.streams import Stream, StreamKind
from terminal.services.subscriptions import Lease, SubscriptionHub
from terminal.services.supervisor import Supervisor
from terminal.venues.api import MarketVenue, TradingVenue

log = logging.getLogger(__name__)

KINDS = ("summary", "positions", "orders", "fills")


class AccountSource(Protocol):
    """What the service needs from a venue connection (VenueConnection)."""

    @property
    def venue(self) -> MarketVenue:
        """The venue: names of the private streams."""
        ...

    @property
    def trading(self) -> TradingVenue | None:
        """The account's REST reads (None: read-only, and the service cannot start)."""
        ...

    @property
    def subscriptions(self) -> SubscriptionHub:
        """The shared, reference-counted subscriptions."""
        ...

    def add_disconnect_listener(self, callback: Callable[[str], None]) -> None:
        """Call `callback(reason)` whenever the live connection is lost."""
        ...

    def add_reconciler(self, reconciler: Callable[[], Awaitable[object]]) -> None:
        """Run `reconciler()` after each reconnect, before the state is LIVE again."""
        ...


class AccountDataService:
    """The account's live state, from private channels reconciled over REST."""

    def __init__(
        self, connection: AccountSource, supervisor: Supervisor, *, max_fills: int = 500
    ) -> None:
        self._connection = connection
        self._hub = connection.subscriptions
        self._supervisor = supervisor
        self._max_fills = max_fills
        self.summary: AccountSummary | None = None
        self.positions: dict[str, Position] = {}
        self.open_orders: dict[str, Order] = {}
        self.fills: list[Fill] = []
        self.live = False
        self._listeners: list[Callable[[str], None]] = []
        self._leases: list[Lease] = []
        # Ids/markets updated over the WebSocket while a REST read is in flight.
        self._touched_orders: dict[str, Order] | None = None
        self._touched_positions: dict[str, Position] | None = None
        self._reconciling = asyncio.Lock()
        connection.add_disconnect_listener(self._on_disconnect)
        connection.add_reconciler(self.reconcile)

    def add_listener(self, callback: Callable[[str], None]) -> None:
        """Call `callback(kind)` after each change; `kind` is one of `KINDS`, or "live"."""
        self._listeners.append(callback)

    async def start(self) -> None:
        """Subscribe the private channels and load the current state over REST."""
        handlers: dict[StreamKind, Callable[[Any], None]] = {
            StreamKind.ACCOUNT: self._on_summary,
            StreamKind.POSITIONS: self._on_position,
            StreamKind.ORDERS: self._on_order,
            StreamKind.FILLS: self._on_fill,
        }
        venue = self._connection.venue
        for kind, handler in handlers.items():
            channel = venue.channel(Stream(kind))
            self._leases.append(await self._hub.acquire(channel, handler))
        await self.reconcile()

    def close(self) -> None:
        """Stop following the private channels."""
        for lease in self._leases:
            lease.release()
        self._leases.clear()

    async def reconcile(self) -> None:
        """Re-read summary, positions, open orders and recent fills over REST.

        Reconciliations run one at a time (start-up and a reconnect can overlap): each one
        tracks the WebSocket updates that arrive during its own reads."""
        async with self._reconciling:
            await self._reconcile()

    async def _reconcile(self) -> None:
        rest = self._connection.trading
        if rest is None:
            raise TradingUnavailable("no account on a read-only connection")
        self._touched_orders, self._touched_positions = {}, {}
        try:
            summary = await rest.account_summary()
            positions = await rest.positions()
            orders = await rest.open_orders()
            fills = await rest.fills(min(self._max_fills, 100))
            touched_orders, touched_positions = self._touched_orders, self._touched_positions
        finally:
            self._touched_orders = self._touched_positions = None
        if self.summary is None or summary.updated_at >= self.summary.updated_at:
            self.summary = summary
        self.positions = {p.market: p for p in positions if p.size != 0}
        for market, position in touched_positions.items():
            self._store_position(market, position)
        self.open_orders = {o.id: o for o in orders if o.is_working}
        for order in touched_orders.values():
            self._store_order(order)
        self._merge_fills(fills)
        self.live = True
        for kind in (*KINDS, "live"):
            self._notify(kind)

    def _on_disconnect(self, reason: str) -> None:
        self.live = False
        self._notify("live")

    def _on_summary(self, summary: AccountSummary) -> None:
        if self.summary is None or summary.updated_at >= self.summary.updated_at:
            self.summary = summary
            self._notify("summary")

    def _on_position(self, position: Position) -> None:
        if self._touched_positions is not None:
            self._touched_positions[position.market] = position
        self._store_position(position.market, position)
        self._notify("positions")

    def _on_order(self, order: Order) -> None:
        if self._touched_orders is not None:
            self._touched_orders[order.id] = order
        self._store_order(order)
        self._notify("orders")

    def _on_fill(self, fill: Fill) -> None:
        self._merge_fills([fill])
        self._notify("fills")

    def _store_position(self, market: str, position: Position) -> None:
        known = self.positions.get(market)
        if known is not None and position.updated_at < known.updated_at:
            return
        if position.size == 0 or position.status == "CLOSED":
            self.positions.pop(market, None)
        else:
            self.positions[market] = position

    def _store_order(self, order: Order) -> None:
        known = self.open_orders.get(order.id)
        if known is not None and order.seq_no < known.seq_no:
            return
        if order.is_working:
            self.open_orders[order.id] = order
        else:
            self.open_orders.pop(order.id, None)

    def _merge_fills(self, new: list[Fill]) -> None:
        by_id = {f.id: f for f in self.fills}
        by_id.update((f.id, f) for f in new)
        self.fills = sorted(by_id.values(), key=lambda f: f.created_at, reverse=True)[
            : self._max_fills
        ]

    def _notify(self, kind: str) -> None:
        for callback in list(self._listeners):
            try:
                callback(kind)
            except Exception:
                log.exception("account listener failed on %s", kind)
