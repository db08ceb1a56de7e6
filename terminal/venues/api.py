"""The venue contract: what services, view-models and widgets may ask of any venue.

Two small Protocols split by job, so that a read-only venue implements only the first:

- `MarketVenue` — instruments, live streams per market (book, trades, BBO, summaries),
  snapshots and history, and the state of the live connection.
- `TradingVenue` — place / modify / cancel / cancel-all, and the account's orders,
  positions, fills, funding payments and margin summary, read over REST; the account's
  private streams come through `MarketVenue.subscribe` with private `Stream`s.

Streams are named by the venue (`channel(stream)`); services treat a name as an opaque
key (to share one subscription between panels, to count messages), never build one.
Every call raises `VenueError` subclasses (terminal.domain.errors) carrying the venue's
own code. Types are the domain's: `Decimal` prices and sizes, never floats.

A venue is opened by the composition root (`terminal.app`), which alone knows venues by
name; everything else holds one of these Protocols.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from decimal import Decimal
from typing import Any, Protocol

from terminal.domain.account import AccountSummary, Fill, FundingPayment, Position
from terminal.domain.connection import ConnectionState
from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import BookUpdate, Candle, Trade
from terminal.domain.orders import NewOrder, Order, OrderAck
from terminal.domain.streams import Stream

StateListener = Callable[[ConnectionState, str], None]
LostListener = Callable[[str, BaseException], None]
StreamCallback = Callable[[Any], None]


class MarketVenue(Protocol):
    """Market data from one venue, over one shared live connection."""

    @property
    def name(self) -> str:
        """The venue's display name ("Paradex", ...)."""
        ...

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Tradable markets by symbol, loaded when the venue opened."""
        ...

    @property
    def clock_skew_ms(self) -> int:
        """Venue clock minus ours, in ms (0 when unknown)."""
        ...

    @property
    def state(self) -> ConnectionState:
        """The live connection's state."""
        ...

    def add_state_listener(self, callback: StateListener) -> None:
        """Call `callback(state, reason)` on every change of the live connection."""
        ...

    def add_subscription_lost_listener(self, callback: LostListener) -> None:
        """Call `callback(channel, error)` when the venue drops a subscription by itself."""
        ...

    def data_age(self) -> float | None:
        """How old market data is on arrival, by the venue's own timestamps, in seconds
        (None: not measured). Data older than the venue's limit makes the state STALE."""
        ...

    def channel(self, stream: Stream) -> str:
        """The venue's name for `stream` (an opaque key above the venue)."""
        ...

    def subscribe(self, channel: str, callback: StreamCallback) -> Awaitable[None]:
        """Subscribe to `channel` and wait for the venue's ack; events go to `callback`.

        The venue renews subscriptions itself after a reconnect.
        """
        ...

    def unsubscribe(self, channel: str) -> Awaitable[None]:
        """Stop a subscription."""
        ...

    async def book_snapshot(self, market: str, depth: int) -> BookUpdate:
        """A book snapshot in the same sequence as the BOOK stream's deltas."""
        ...

    async def klines(
        self, market: str, resolution_min: int, start_ms: int, end_ms: int
    ) -> list[Candle]:
        """OHLCV bars of `resolution_min` minutes between two times."""
        ...

    async def recent_trades(self, market: str, limit: int) -> list[Trade]:
        """The latest public trades, newest first."""
        ...

    def upkeep(self) -> Mapping[str, Callable[[], Coroutine[Any, Any, None]]]:
        """Background work the owner keeps running (restarting it if it fails) until close:
        by name, a factory of each coroutine (e.g. renewing an auth token)."""
        ...

    async def close(self) -> None:
        """Close the live connection and the REST client; idempotent."""
        ...


class TradingVenue(Protocol):
    """Trading and the account's own data on one venue (needs the account's key)."""

    @property
    def account_label(self) -> str:
        """The account as the trader knows it (an address, shortened by the UI)."""
        ...

    async def place(self, order: NewOrder) -> OrderAck:
        """Sign and send `order` (it must carry a `client_id`); never sent twice.

        Raises `VenueOrderRejected` with the venue's reason, or
        `VenueOrderStatusUnknown` when the outcome could not be learnt.
        """
        ...

    async def modify(
        self, order: Order, *, price: Decimal | None = None, size: Decimal | None = None
    ) -> OrderAck:
        """Change a working order's price and/or size; never sent twice."""
        ...

    async def cancel(self, order_id: str) -> None:
        """Ask the venue to cancel one order (the ORDERS stream confirms it)."""
        ...

    def cancel_all(self, market: str | None = None) -> Awaitable[None]:
        """Cancel every working order (of one market): one request, at once; await the
        result for the venue's answer.

        Implementations send it on a path that never queues behind other requests and,
        where they can, write it before returning (the click's own loop turn).
        """
        ...

    async def find_order(self, client_id: str) -> Order:
        """The order with `client_id`, open or closed; `VenueOrderStatusUnknown` if none."""
        ...

    async def open_orders(self, market: str | None = None) -> list[Order]:
        """Every working order (of one market)."""
        ...

    async def positions(self) -> list[Position]:
        """Every position."""
        ...

    async def fills(self, limit: int) -> list[Fill]:
        """The account's latest fills, newest first."""
        ...

    async def funding_payments(self, limit: int) -> list[FundingPayment]:
        """The account's latest funding payments, newest first."""
        ...

    async def order_history(self, limit: int) -> list[Order]:
        """The account's latest orders of any status, newest first."""
        ...

    async def account_summary(self) -> AccountSummary:
        """Margin and collateral figures."""
        ...
