"""The venue connection: one authenticated REST client and one shared WebSocket session.

API (the app calls exactly this):

    conn = await VenueConnection.open(profile, private_key, supervisor=supervisor)
    conn.rest            # terminal.venues.paradex.http.client.ParadexRest, JWT attached
    conn.ws              # terminal.venues.paradex.ws.session.WsSession, started
    conn.subscriptions   # SubscriptionHub: reference-counted channels on `ws`
    conn.account         # int, the L2 account address
    conn.public_key, conn.chain_id, conn.clock_skew_ms, conn.profile
    conn.instruments     # dict[str, Instrument] by symbol
    conn.state           # ConnectionState; add_state_listener(cb(state, reason))
    conn.add_disconnect_listener(cb(reason))
    conn.add_reconciler(async_fn)   # run after each reconnect, before the state is LIVE again
                                    # (retried with backoff until every one succeeds)
    await conn.close()   # also registered as a supervisor shutdown step (sockets phase)

`open` fetches the system config, measures clock skew, derives the account address from
the key (§5.2, class hashes from the config), authenticates (onboarding first if the
venue says NOT_ONBOARDED), loads the instruments, then starts the WebSocket session with a
JWT provider (the session authenticates itself and, after a reconnect, re-authenticates
and resubscribes). State changes are forwarded from the session, except that after a
reconnect the state turns LIVE only once every reconciler (e.g. re-reading orders and
positions over REST) has succeeded: meanwhile it is CONNECTING, its reason saying that
account data is being reconciled or why the last attempt failed (attempts repeat with
backoff). The private key lives only inside the signer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from terminal.domain.instruments import Instrument
from terminal.services.profiles import Profile
from terminal.services.subscriptions import SubscriptionHub
from terminal.services.supervisor import Group, Supervisor
from terminal.venues.backoff import Backoff
from terminal.venues.paradex.crypto.signing import (
    ParadexSigner,
    account_address,
    chain_id_from_name,
    public_key_from_private,
)
from terminal.venues.paradex.errors import ParadexError
from terminal.venues.paradex.http.client import ParadexRest
from terminal.venues.paradex.ws.session import ConnectionState, WsSession

log = logging.getLogger(__name__)

StateListener = Callable[[ConnectionState, str], None]
Reconciler = Callable[[], Awaitable[object]]

_DOWN = (ConnectionState.RECONNECTING, ConnectionState.CLOSED)
RECONCILE_BACKOFF = (0.5, 30.0)
"""First and longest wait (s) between reconciliation attempts after a reconnect."""
RECONCILING = "reconciling account data"


class VenueConnection:
    """An open, authenticated connection to one venue (use `VenueConnection.open`)."""

    def __init__(
        self,
        profile: Profile,
        rest: ParadexRest,
        ws: WsSession,
        signer: ParadexSigner,
        instruments: dict[str, Instrument],
        clock_skew_ms: int,
        supervisor: Supervisor,
        *,
        reconcile_backoff: tuple[float, float] = RECONCILE_BACKOFF,
    ) -> None:
        self.profile = profile
        self.rest = rest
        self.ws = ws
        self.account = signer.account
        self.public_key = signer.public_key
        self.chain_id = signer.chain_id
        self.instruments = instruments
        self.clock_skew_ms = clock_skew_ms
        self.subscriptions = SubscriptionHub(ws, supervisor)
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

    def __repr__(self) -> str:
        return (
            f"VenueConnection(profile={self.profile.name!r}, account={self.account:#x}, "
            f"state={self._state})"
        )

    @classmethod
    async def open(
        cls,
        profile: Profile,
        private_key: int,
        *,
        supervisor: Supervisor,
        rest: ParadexRest | None = None,
        ws_options: Mapping[str, Any] | None = None,
    ) -> VenueConnection:
        """Connect and authenticate to `profile`'s venue with `private_key`.

        `rest` replaces the REST client (tests pass one over a mock transport);
        `ws_options` go to `WsSession` (e.g. `backoff_initial`, `stale_after`).
        """
        if not profile.has_urls:
            raise ValueError(f"profile {profile.name!r} has no URLs yet")
        rest = rest or ParadexRest(profile.rest_url)
        ws: WsSession | None = None
        try:
            config = await rest.public.system_config()
            skew = await rest.sync_clock()
            public_key = public_key_from_private(private_key)
            account = account_address(
                public_key,
                int(config.paraclear_account_proxy_hash, 16),
                int(config.paraclear_account_hash, 16),
            )
            signer = ParadexSigner(
                private_key, account, chain_id_from_name(config.starknet_chain_id)
            )
            rest.attach_signer(signer)
            await rest.jwt.token()
            instruments = {i.symbol: i for i in await rest.public.markets()}
            ws = WsSession(
                profile.ws_url,
                sbe_version=profile.sbe_version,
                token_provider=rest.jwt.token,
                venue_clock_ms=rest.clock.now_ms,
                **(ws_options or {}),
            )
            conn = cls(profile, rest, ws, signer, instruments, skew, supervisor)
            ws.add_state_listener(conn._on_ws_state)
            ws.add_subscription_lost_listener(conn.subscriptions.subscription_lost)
            await ws.start()
        except BaseException:
            if ws is not None:
                await ws.close()
            await rest.aclose()
            raise
        supervisor.spawn(rest.jwt.refresh_forever, name="jwt refresh", restart=True)
        supervisor.on_shutdown(conn.close, name="close venue connection", group=Group.SOCKETS)
        log.info(
            "connected to %s as %#x (%d markets, clock skew %d ms)",
            profile.name,
            account,
            len(instruments),
            skew,
        )
        return conn

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
        try:
            await self.ws.close()
        finally:
            await self.rest.aclose()
        self._set_state(ConnectionState.CLOSED, "closed")

    def _on_ws_state(self, state: ConnectionState, reason: str) -> None:
        if state in _DOWN:
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
                except (TimeoutError, ParadexError) as exc:
                    delay = backoff.next()
                    log.warning("reconciliation failed: %r; retrying in %.1f s", exc, delay)
                    self._set_state(
                        ConnectionState.CONNECTING,
                        f"reconciliation failed: {str(exc) or type(exc).__name__}; "
                        f"retrying in {delay:.1f} s",
                    )
                    await asyncio.sleep(delay)
                    continue
                if self.ws.state is ConnectionState.LIVE:
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
