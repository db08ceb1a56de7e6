"""The Paradex WebSocket session: one connection, JSON-RPC, routing, reconnects.

Interface (the services layer calls exactly this):

    session = WsSession(url, sbe_version=2, token_provider=rest.jwt.token)
    session.add_state_listener(lambda state, reason: ...)   # ConnectionState, str
    session.add_subscription_lost_listener(lambda channel, error: ...)  # renewal refused
    await session.start()                  # returns once LIVE (TimeoutError after open_timeout;
                                           # it keeps trying in the background until close())
    await session.subscribe("order_book.BTC-USD-PERP.deltas", on_book)   # waits for the ack
    await session.unsubscribe("order_book.BTC-USD-PERP.deltas")
    result = await session.call("order.cancel_all", {})   # JSON-RPC, id-correlated, timeout
    session.state; session.stats; session.message_age(channel)
    await session.close()

Callbacks receive domain objects: `BookUpdate`, `Trade`, `Bbo`, `MarketSummary`,
`FundingData` for public channels; `Order`, `Fill`, `Position`, `AccountSummary`, `Balance`,
`FundingPayment` for private ones. They run as each message is parsed off the socket
(`sink_connection`), in wire order: they MUST be cheap and never
block or await — Paradex drops a client with 2,000 unprocessed messages, and a blocked
reader also delays pongs. Hand heavy work to a queue. A callback that raises is logged
and counted; the reader goes on.

Containment: nothing a frame does stops the feed. A frame whose handling fails anywhere
(decoding, routing, an answer with an id we never sent, a callback) is counted in
`stats` and logged sparingly (`FailureLog`); the reader goes on with the next frame. A
failure of the session's own machinery ends the connection and the session dials again
with backoff, like after a drop. `close()` returns promptly whatever the venue does: the
closing handshake gets `CLOSE_TIMEOUT` s, then the TCP connection is dropped.

Behaviour: text frames are decoded as JSON-RPC (`frames.decode_text`), binary frames as
SBE (`frames.decode_binary`); notifications are routed by (family, market), §11.5.8
(`subscriptions`); frames that cannot be decoded are counted and skipped. SBE is asked
for with `?sbeSchemaId=1&sbeSchemaVersion=v`; an HTTP 400 at the upgrade is retried once
with version 1, which then sticks. A lost connection is re-dialled with exponential backoff
and jitter, authenticated again with a fresh token from `token_provider`, and every
subscription is renewed before the state returns to LIVE; one the venue refuses to renew
is dropped and reported to the subscription-lost listeners. A `subscribe` whose ack is cut
off by a drop stays registered and completes when the next connection renews it.
States: CONNECTING → LIVE;
STALE when connected but silent for `stale_after` s (LIVE again on the next message), or,
given a `venue_clock_ms` (the venue's time, skew-corrected), when public market data
arrives more than `max_data_age` s after the exchange stamped it (`data_age`; LIVE again
once it is fresh); RECONNECTING (with the reason) after a drop; CLOSED after `close()`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from terminal.domain.connection import ConnectionState
from terminal.venues.backoff import Backoff
from terminal.venues.failures import FailureLog
from terminal.venues.paradex.errors import ParadexError, RpcError, SubscribeError, WsDisconnected
from terminal.venues.paradex.schemas.private import PRIVATE_DECODERS
from terminal.venues.paradex.urls import with_query
from terminal.venues.paradex.ws.data_age import DataAge, VenueClockMs
from terminal.venues.paradex.ws.frame_log import FRAME_LOG
from terminal.venues.paradex.ws.frames import Notification, RpcResponse, decode_binary, decode_text
from terminal.venues.paradex.ws.sink_connection import connection_class
from terminal.venues.paradex.ws.subscriptions import (
    LOCAL_REFUSAL,
    Callback,
    SessionStats,
    Subscription,
    SubscriptionRegistry,
)

log = logging.getLogger(__name__)

TokenProvider = Callable[[], Awaitable[str]]
StateListener = Callable[["ConnectionState", str], None]
LostListener = Callable[[str, SubscribeError], None]


_CONNECTED = (ConnectionState.LIVE, ConnectionState.STALE)
CLOSE_TIMEOUT = 0.25
"""Seconds the venue gets to answer our close frame before the TCP connection is dropped
(its answer may sit behind a full receive queue that nobody reads any more)."""
_MAX_ID_DIGITS = 18
"""Longest string id taken for one of ours (we number requests from 1 with ints)."""


class WsSession:
    """One WebSocket connection to the venue, kept alive, shared by every subscriber."""

    def __init__(
        self,
        url: str,
        *,
        sbe_version: int | None = 2,
        token_provider: TokenProvider | None = None,
        clock: Callable[[], float] = time.monotonic,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        stale_after: float = 10.0,
        rpc_timeout: float = 10.0,
        open_timeout: float = 10.0,
        rng: random.Random | None = None,
        venue_clock_ms: VenueClockMs | None = None,
        max_data_age: float = 2.0,
        deflate: bool = True,
    ) -> None:
        self._url = url
        # permessage-deflate: on by default, on loopback too (bench/README.md: measured).
        self._compression = "deflate" if deflate else None
        self._sbe_version = sbe_version
        self._token_provider = token_provider
        self._clock = clock
        self._backoff = Backoff(backoff_initial, backoff_max, rng=rng)
        self._stale_after = stale_after
        self._rpc_timeout = rpc_timeout
        self._open_timeout = open_timeout
        self.state = ConnectionState.CLOSED
        self.stats = SessionStats()
        self.failures = FailureLog(log)
        self._subs = SubscriptionRegistry(self.stats)
        self._listeners: list[StateListener] = []
        self._lost_listeners: list[LostListener] = []
        self._ws: ClientConnection | None = None
        self._generation = 0
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[object]] = {}
        self._last_message_at = clock()
        self._live = asyncio.Event()
        self._ages = None if venue_clock_ms is None else DataAge(venue_clock_ms)
        self._max_data_age = max_data_age
        self._late = False  # STALE because the data is old (not because it is silent)
        self._connection_class = connection_class(self._take)
        self._runner: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None

    @property
    def sbe_version(self) -> int | None:
        """The SBE schema version asked for (None: plain JSON); 1 after a refused 2."""
        return self._sbe_version

    def add_state_listener(self, cb: StateListener) -> None:
        """Call `cb(state, reason)` on every state change."""
        self._listeners.append(cb)

    def add_subscription_lost_listener(self, cb: LostListener) -> None:
        """Call `cb(channel, error)` when the venue refuses to renew a subscription after a
        reconnect: the session has then dropped it (re-subscribing is up to the caller)."""
        self._lost_listeners.append(cb)

    def data_age(self) -> float | None:
        """How old public market data is on arrival, in seconds (None: not measured)."""
        return None if self._ages is None else self._ages.seconds()

    def message_age(self, channel: str) -> float | None:
        """Seconds since `channel` last delivered a message (None: never)."""
        stats = self.stats.channels.get(channel)
        return None if stats is None else stats.age(self._clock())

    async def start(self) -> None:
        """Connect; return once LIVE. `TimeoutError` after `open_timeout` (still retrying)."""
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="ws session")
            self._watchdog = asyncio.create_task(self._watch(), name="ws stale watchdog")
        await asyncio.wait_for(self._live.wait(), self._open_timeout)

    async def close(self) -> None:
        """Disconnect for good: stop every task, fail waiting requests, state CLOSED."""
        tasks = [t for t in (self._runner, self._watchdog) if t is not None]
        self._runner = self._watchdog = None
        for task in tasks:
            task.cancel()
        if tasks:
            # wait(), not `await task` under suppress(CancelledError): that would swallow a
            # cancellation of close() itself too (a shutdown running out of time).
            await asyncio.wait(tasks)
        for task in tasks:
            if not task.cancelled() and (exc := task.exception()) is not None:
                log.error("WebSocket task %r had failed", task.get_name(), exc_info=exc)
        self._fail_pending("session closed")
        for sub in self._subs:
            sub.settle(WsDisconnected("session closed"))
        self._set_state(ConnectionState.CLOSED, "closed")

    async def subscribe(self, channel: str, callback: Callback) -> None:
        """Subscribe `callback` to `channel`; returns on the venue's ack.

        Raises `SubscribeError` on an error ack (or a routing clash), `WsDisconnected` if
        the session is closed. While reconnecting it waits for the next connection.
        """
        if self._runner is None:
            raise WsDisconnected("session not started")
        sub = self._subs.add(channel, callback)
        try:
            if self.state in _CONNECTED and self._ws is not None:
                try:
                    await self._subscribe_on(self._ws, sub)
                    return
                except WsDisconnected:
                    # The connection dropped before the ack: the subscription stays
                    # registered, so the next connection renews it like any other.
                    if self._runner is None:
                        raise
            if sub.generation != self._generation:  # not yet renewed on this connection
                sub.ready = asyncio.get_running_loop().create_future()
                await sub.ready
        except BaseException:
            if self._subs.get(channel) is sub:
                self._subs.remove(channel)
            raise

    async def unsubscribe(self, channel: str) -> None:
        """Stop delivering `channel` and tell the venue (its refusal is only logged)."""
        sub = self._subs.remove(channel)
        if sub is None:
            return
        sub.settle(SubscribeError(LOCAL_REFUSAL, f"{channel} unsubscribed before its ack"))
        if self.state not in _CONNECTED:
            return
        try:
            await self.call("unsubscribe", {"channel": channel})
        except (RpcError, WsDisconnected, TimeoutError) as exc:
            log.info("unsubscribe %s: %s", channel, exc)

    async def call(self, method: str, params: object) -> object:
        """Send a JSON-RPC request and return its `result`; `RpcError` on an error answer."""
        if self._ws is None or self.state not in _CONNECTED:
            raise WsDisconnected(f"cannot call {method}: {self.state}")
        return await self._call_on(self._ws, method, params)

    # -- connection lifecycle -------------------------------------------------------

    async def _run(self) -> None:
        reason = "start"
        while True:
            self._set_state(ConnectionState.CONNECTING, reason)
            try:
                reason = await self._serve(await self._dial())
            except (OSError, WebSocketException, TimeoutError) as exc:
                reason = f"connection failed: {exc}"
            except Exception as exc:
                # A bug must not leave the session silently dead: report it and reconnect.
                self.failures.record("session", "WebSocket session failed unexpectedly")
                reason = f"internal error: {exc!r}"
            self.stats.reconnects += 1
            self._set_state(ConnectionState.RECONNECTING, reason)
            await asyncio.sleep(self._backoff.next())

    async def _dial(self) -> ClientConnection:
        try:
            return await self._open(self._sbe_version)
        except InvalidStatus as exc:
            if exc.response.status_code != 400 or self._sbe_version in (None, 1):
                raise
            log.warning(
                "venue refused SBE schema version %s (HTTP 400); retrying with version 1",
                self._sbe_version,
            )
            self._sbe_version = 1
            return await self._open(1)

    async def _open(self, sbe_version: int | None) -> ClientConnection:
        url = self._url
        if sbe_version is not None:
            url = with_query(url, f"sbeSchemaId=1&sbeSchemaVersion={sbe_version}")
        return await connect(
            url,
            open_timeout=self._open_timeout,
            close_timeout=CLOSE_TIMEOUT,
            max_size=2**22,
            compression=self._compression,
            logger=FRAME_LOG,
            create_connection=self._connection_class,
        )

    async def _serve(self, ws: ClientConnection) -> str:
        """Run one connection: reader, auth, resubscribe, LIVE; return why it ended."""
        self._generation += 1
        generation = self._generation
        self._ws = ws
        reader = asyncio.create_task(self._read(ws), name="ws reader")
        try:
            try:
                if self._token_provider is not None:
                    token = await self._token_provider()
                    await self._call_on(ws, "auth", {"bearer": token})
                await self._resubscribe(ws, generation)
            except (ParadexError, TimeoutError, ConnectionClosed, OSError) as exc:
                # ParadexError covers an auth refusal (RpcError) and a token that could
                # not be fetched over REST; the next attempt asks for a fresh one.
                await ws.close()
                await reader
                return f"session setup failed: {exc}"
            self._backoff.reset()
            self._last_message_at = self._clock()
            self._late = False
            if self._ages is not None:
                self._ages.reset()
            self._set_state(ConnectionState.LIVE, "connected")
            self._live.set()
            return await reader
        finally:
            self._ws = None
            self._live.clear()
            if not reader.done():
                reader.cancel()
                await asyncio.wait([reader])
            self._fail_pending("connection lost")
            await ws.close()

    async def _resubscribe(self, ws: ClientConnection, generation: int) -> None:
        # Loop: a subscribe() that arrives while renewing is picked up by the next round.
        while todo := [s for s in self._subs if s.generation != generation]:
            results = await asyncio.gather(
                *(self._subscribe_on(ws, s) for s in todo), return_exceptions=True
            )
            for sub, result in zip(todo, results, strict=True):
                if isinstance(result, SubscribeError):
                    log.error("resubscribing %s refused: %s", sub.channel, result)
                    self._subs.remove(sub.channel)
                    sub.settle(result)
                    self._lost(sub.channel, result)
                elif isinstance(result, BaseException):
                    raise result
                else:
                    sub.settle()

    async def _subscribe_on(self, ws: ClientConnection, sub: Subscription) -> None:
        try:
            await self._call_on(ws, "subscribe", {"channel": sub.channel})
        except RpcError as exc:
            raise SubscribeError(int(exc.code), exc.message, exc.data) from exc
        sub.generation = self._generation

    async def _call_on(self, ws: ClientConnection, method: str, params: object) -> object:
        self._next_id += 1
        request_id = self._next_id
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        request = {"jsonrpc": "2.0", "method": method, "params": params, "id": request_id}
        try:
            await ws.send(msgspec.json.encode(request).decode())
            return await asyncio.wait_for(future, self._rpc_timeout)
        except ConnectionClosed as exc:
            raise WsDisconnected(f"{method}: connection closed") from exc
        finally:
            self._pending.pop(request_id, None)

    def _fail_pending(self, why: str) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(WsDisconnected(why))
        self._pending.clear()

    async def _watch(self) -> None:
        """Report STALE while a connected session is silent or its data is late."""
        while True:
            await asyncio.sleep(min(self._stale_after / 4, 0.5))
            silent = self._clock() - self._last_message_at
            age = self.data_age()
            late = age is not None and age > self._max_data_age
            if self.state is ConnectionState.LIVE and silent > self._stale_after:
                self._set_state(ConnectionState.STALE, f"no message for {silent:.1f} s")
            elif self.state is ConnectionState.LIVE and late:
                self._late = True
                self._set_state(ConnectionState.STALE, f"data {age:.1f} s old")
            elif self.state is ConnectionState.STALE and self._late and not late:
                self._late = False
                self._set_state(ConnectionState.LIVE, "data fresh again")

    def _lost(self, channel: str, error: SubscribeError) -> None:
        for listener in list(self._lost_listeners):
            try:
                listener(channel, error)
            except Exception:
                log.exception("subscription-lost listener failed")

    def _set_state(self, state: ConnectionState, reason: str) -> None:
        if state is self.state:
            return
        self.state = state
        log.info("WebSocket %s (%s)", state, reason)
        for listener in list(self._listeners):
            try:
                listener(state, reason)
            except Exception:
                log.exception("state listener failed")

    # -- the reader: decode + route only ------------------------------------------

    async def _read(self, ws: ClientConnection) -> str:
        """Wait for the connection's end (its messages go to `_take` as they are parsed)."""
        await ws.wait_closed()
        return f"connection closed: {ws.protocol.close_exc}"

    def _take(self, payload: bytes, is_text: bool) -> None:
        try:
            self._on_frame(payload.decode() if is_text else payload)
        except Exception:
            # Whatever one frame provokes (a hostile payload, bad UTF-8, a bug of ours),
            # the feed goes on: a dead reader would freeze it behind LIVE.
            self.stats.frame_errors += 1
            self.failures.record("frame", "a WebSocket frame could not be handled")

    def _on_frame(self, raw: str | bytes) -> None:
        now = self._clock()
        self._last_message_at = now
        if self.state is ConnectionState.STALE and not self._late:
            self._set_state(ConnectionState.LIVE, "messages again")
        message = decode_text(raw) if isinstance(raw, str) else decode_binary(raw)
        if isinstance(message, Notification):
            self._deliver(message, now)
        elif isinstance(message, RpcResponse):
            self._answer(message)

    def _answer(self, response: RpcResponse) -> None:
        request_id = _request_key(response.id)
        future = None if request_id is None else self._pending.get(request_id)
        if future is None or future.done():
            log.debug("answer to an unknown request id %r", response.id)
        elif response.error is not None:
            error = response.error
            future.set_exception(RpcError(error.code, error.message, error.data))
        else:
            future.set_result(response.result)

    def _deliver(self, note: Notification, now: float) -> None:
        sub = self._subs.route(note)
        if sub is None:
            self.stats.unrouted += 1
            return
        event = note.event
        if isinstance(event, msgspec.Raw):
            decoder = PRIVATE_DECODERS.get(note.family)
            try:
                if decoder is None:
                    raise ValueError(f"no schema for the {note.family!r} channel")
                event = decoder(event)
            except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
                self.stats.undecodable += 1
                log.warning("skipped a %s payload: %s", sub.channel, exc)
                return
        sub.stats.record(now)
        if self._ages is not None:
            self._ages.record(event)
        try:
            sub.callback(event)
        except Exception:
            self.stats.callback_errors += 1
            self.failures.record("callback", f"subscriber of {sub.channel} failed")


def _request_key(request_id: int | str) -> int | None:
    """The pending-request key an answer's id names; None when it cannot be one of ours."""
    if isinstance(request_id, int):
        return request_id
    # str.isdigit() accepts "²" (int() refuses it) and int() refuses thousands of digits:
    # only a short run of ASCII digits can be an id we sent.
    if request_id.isascii() and request_id.isdigit() and len(request_id) <= _MAX_ID_DIGITS:
        return int(request_id)
    return None
