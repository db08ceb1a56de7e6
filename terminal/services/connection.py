"""The venue connection: one venue's shared live session, its state, and reconciliation.

API (the app calls exactly this):

    conn = VenueConnection(venue, supervisor, trading=trading)   # venue: MarketVenue
    conn.venue           # the MarketVenue (instruments, streams, snapshots)
    conn.trading         # the TradingVenue, or None when read-only
    conn.subscriptions   # SubscriptionHub: reference-counted streams on the venue
    conn.instruments     # dict[str, Instrument] by symbol
    conn.clock_skew_ms
    conn.state           # ConnectionState; add_state_listener(cb(state, reason))
    conn.add_disconnect_listener(cb(reason))
    conn.add_reconciler(async_fn)   # run after each reconnect, before the state is LIVE again
                                    # (retried with backoff until every one succeeds)
    await conn.close()   # also registered as a supervisor shutdown step (sockets phase)

The venue was opened (logged in, live session started) by the composition root; the
connection runs its upkeep under the supervisor and forwards its state, except that after
a reconnect the state turns LIVE only once every reconciler (e.g. re-reading orders and
positions over REST) has succeeded: meanwhile it is CONNECTING, its reason saying that
account data is being reconciled or why the last attempt failed (attempts repeat with
backoff).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from terminal.domain.connection import ConnectionState
from terminal.domain.errors import VenueError
from terminal.domain.instruments import Instrument
from terminal.services.subscriptions import SubscriptionHub
from terminal.services.supervisor import Group, Supervisor
from terminal.venues.api import MarketVenue, TradingVenue
from terminal.venues.backoff import Backoff

log = logging.getLogger(__name__)

StateListener = Callable[[ConnectionState, str], None]
Reconciler = Callable[[], Awaitable[object]]

RECONCILE_BACKOFF = (0.5, 30.0)
"""First and longest wait (s) between reconciliation attempts after a reconnect."""
RECONCILING = "reconciling account data"


class VenueConnection:
    """An open venue, shared by every service: state, subscriptions, reconciliation."""

    def __init__(
        self,
        venue: MarketVenue,
        supervisor: Supervisor,
        *,
        trading: TradingVenue | None = None,
        reconcile_backoff: tuple[float, float] = RECONCILE_BACKOFF,
    ) -> None:
        self.venue = venue
        self.trading = trading
        self.instruments: dict[str, Instrument] = dict(venue.instruments)
        self.clock_skew_ms = venue.clock_skew_ms
        self.subscriptions = SubscriptionHub(venue, supervisor)
        self._supervisor = supervisor
        self._state = ConnectionState.CONNECTING
        self._reason = ""
        self._state_listeners: list[StateListener] = []
        self._disconnect_listeners: list[Callable[[str], None]] = []
        self._reconcilers: list[Reconciler] = []
        self._reconcile_backoff = reconcile_backoff
        self._reconciling: asyncio.Task[None] | None = None
        self._was_down = False
        self._closed = False
        venue.add_state_listener(self._on_venue_state)
        venue.add_subscription_lost_listener(self.subscriptions.subscription_lost)
        for name, factory in venue.upkeep().items():
            supervisor.spawn(factory, name=name, restart=True)
        supervisor.on_shutdown(self.close, name="close venue connection", group=Group.SOCKETS)
        self._on_venue_state(venue.state, "")

    def __repr__(self) -> str:
        return f"VenueConnection({self.venue!r}, state={self._state})"

    @property
    def state(self) -> ConnectionState:
        """The connection's state as the panels should show it."""
        return self._state

    @property
    def state_reason(self) -> str:
        """Why the connection is in its state (empty when live)."""
        return self._reason

    def add_state_listener(self, callback: StateListener) -> None:
        """Call `callback(state, reason)` on every state change."""
        self._state_listeners.append(callback)

    def add_disconnect_listener(self, callback: Callable[[str], None]) -> None:
        """Call `callback(reason)` when the WebSocket connection is lost."""
        self._disconnect_listeners.append(callback)

    def add_reconciler(self, reconciler: Reconciler) -> None:
        """Run `reconciler()` after each reconnect, before the state turns LIVE again."""
        self._reconcilers.append(reconciler)

    async def close(self) -> None:
        """Close the WebSocket and the REST client; idempotent."""
        if self._closed:
            return
        self._closed = True
        await self.venue.close()
        self._set_state(ConnectionState.CLOSED, "closed")

    def _on_venue_state(self, state: ConnectionState, reason: str) -> None:
        if state.is_down:
            if state is ConnectionState.RECONNECTING and not self._was_down:
                self.subscriptions.stats.record_reconnect()
            if self._reconciling is not None:
                # Reads made on the lost connection prove nothing: start over when back.
                self._reconciling.cancel()
                self._reconciling = None
            if not self._was_down:
                self._was_down = True
                for callback in list(self._disconnect_listeners):
                    _call_safely(callback, reason)
        if state is ConnectionState.LIVE and self._was_down and self._reconcilers:
            if self._reconciling is None and not self._supervisor.closed:
                self._reconciling = self._supervisor.spawn(
                    self._reconcile(), name="reconcile after reconnect"
                )
            return
        if state is ConnectionState.LIVE:
            self._was_down = False
        self._set_state(state, reason)

    async def _reconcile(self) -> None:
        """Bring account data up to date over REST (retrying with backoff until it works),
        then show the connection as live."""
        backoff = Backoff(*self._reconcile_backoff)
        self._set_state(ConnectionState.CONNECTING, RECONCILING)
        try:
            while True:
                try:
                    for reconciler in list(self._reconcilers):
                        await reconciler()
                except (TimeoutError, VenueError) as exc:
                    delay = backoff.next()
                    log.warning("reconciliation failed: %r; retrying in %.1f s", exc, delay)
                    self._set_state(
                        ConnectionState.CONNECTING,
                        f"reconciliation failed: {str(exc) or type(exc).__name__}; "
                        f"retrying in {delay:.1f} s",
                    )
                    await asyncio.sleep(delay)
                    continue
                if self.venue.state is ConnectionState.LIVE:
                    self._was_down = False
                    self._set_state(ConnectionState.LIVE, "")
                return
        finally:
            if self._reconciling is asyncio.current_task():
                self._reconciling = None

    def _set_state(self, state: ConnectionState, reason: str) -> None:
        if (state, reason) == (self._state, self._reason):
            return
        self._state, self._reason = state, reason
        for callback in list(self._state_listeners):
            _call_safely(callback, state, reason)


def _call_safely(callback: Callable[..., None], *args: object) -> None:
    try:
        callback(*args)
    except Exception:
        log.exception("connection listener %r failed", callback)
