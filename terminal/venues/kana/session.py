"""The indexer's WebSocket: one connection, topic subscriptions, routing, reconnects.

    session = KanaSession(url)
    await session.start()                               # returns once LIVE
    await session.subscribe(TopicKey("orderbook", "1339"), on_rows)   # on_rows(list[row])
    await session.unsubscribe(TopicKey("orderbook", "1339"))
    session.state; session.add_state_listener(cb); session.stats
    await session.close()

The protocol is the seed's: a subscription is `{"topic": t, "market_id"|"address": k}`;
every reply is `{"data": [rows], "message": t}`. The indexer sends no acknowledgement and
the seed documents no unsubscribe, so: `subscribe` returns once the request is on the wire
(before a connection exists it waits for the next one); `unsubscribe` stops delivery here
and the indexer's rows for it are dropped as unrouted until the next connection, which
asks only for what is still subscribed. Replies are routed by topic and by the rows'
`market_id` / `address`; a reply with no rows goes to the topic's one subscription sent on
this connection, and is dropped when there were several (it could be anyone's).

Keep-alive: a WebSocket ping every `ping_interval` s (the seed pings every 20 s); a missed
pong drops the connection. A dropped connection is dialled again with backoff and jitter
and every subscription is sent again before the state returns to LIVE. States as on
every venue: CONNECTING → LIVE; STALE when connected but silent for `stale_after` s;
RECONNECTING (with the reason) after a drop; CLOSED after `close()`. Callbacks run on the
reader and must be cheap; one that raises is logged and counted, and the reader goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from terminal.domain.connection import ConnectionState
from terminal.domain.errors import StreamDisconnected
from terminal.venues.backoff import Backoff
from terminal.venues.kana.addresses import normalize_address
from terminal.venues.kana.errors import InvalidAddress, KanaError
from terminal.venues.kana.schemas import DECODERS, ENVELOPE, ORDERBOOK

log = logging.getLogger(__name__)

RowsCallback = Callable[[list[Any]], None]
StateListener = Callable[[ConnectionState, str], None]

_CONNECTED = (ConnectionState.LIVE, ConnectionState.STALE)


@dataclass(frozen=True, slots=True)
class TopicKey:
    """One indexer subscription: a topic and its market id (orderbook) or address."""

    topic: str
    key: str

    def request(self) -> str:
        """The subscribe message, as the seed writes it."""
        field = "market_id" if self.topic == ORDERBOOK else "address"
        return json.dumps({"topic": self.topic, field: self.key})


@dataclass(slots=True)
class SessionStats:
    """Live counters of a session (read them, do not write them)."""

    messages: int = 0
    reconnects: int = 0
    unrouted: int = 0
    undecodable: int = 0
    callback_errors: int = 0


@dataclass(eq=False, slots=True)
class _Subscription:
    key: TopicKey
    callback: RowsCallback
    sent: asyncio.Future[None] | None = None


class KanaSession:
    """One WebSocket connection to the indexer, kept alive, shared by every subscriber."""

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        ping_interval: float = 20.0,
        stale_after: float = 30.0,
        open_timeout: float = 10.0,
        rng: random.Random | None = None,
    ) -> None:
        self._url = url
        self._clock = clock
        self._backoff = Backoff(backoff_initial, backoff_max, rng=rng)
        self._ping_interval = ping_interval
        # The indexer sends a book only when it changes: a quiet market is not a dead feed,
        # so this is longer than Paradex's 10 s.
        self._stale_after = stale_after
        self._open_timeout = open_timeout
        self.state = ConnectionState.CONNECTING
        self.stats = SessionStats()
        self._subs: dict[TopicKey, _Subscription] = {}
        self._sent: set[TopicKey] = set()
        self._ws: ClientConnection | None = None
        self._listeners: list[StateListener] = []
        self._live = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._last_message_at = clock()

    def add_state_listener(self, callback: StateListener) -> None:
        """Call `callback(state, reason)` on every state change."""
        self._listeners.append(callback)

    async def start(self) -> None:
        """Connect; return once LIVE. `TimeoutError` after `open_timeout` (still retrying)."""
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="kana ws session")
            self._watchdog = asyncio.create_task(self._watch(), name="kana ws watchdog")
        await asyncio.wait_for(self._live.wait(), self._open_timeout)

    async def close(self) -> None:
        """Disconnect for good: stop every task, fail waiting subscribes, state CLOSED."""
        tasks = [t for t in (self._runner, self._watchdog) if t is not None]
        self._runner = self._watchdog = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for sub in self._subs.values():
            _settle(sub, StreamDisconnected("DISCONNECTED", "session closed"))
        self._set_state(ConnectionState.CLOSED, "closed")

    async def subscribe(self, key: TopicKey, callback: RowsCallback) -> None:
        """Send `key`'s subscription and deliver its rows to `callback`.

        `KanaError` if `key` is already subscribed; `StreamDisconnected` if the session is
        closed. While reconnecting it waits for the next connection to send it.
        """
        if self._runner is None:
            raise StreamDisconnected("DISCONNECTED", "session not started")
        if key in self._subs:
            raise KanaError("SUBSCRIBED", f"already subscribed to {key.topic} {key.key}")
        sub = self._subs[key] = _Subscription(key, callback)
        try:
            ws = self._ws
            if ws is not None and self.state in _CONNECTED:
                try:
                    await self._send(ws, key)
                    return
                except ConnectionClosed:
                    if self._runner is None:
                        raise StreamDisconnected("DISCONNECTED", "session closed") from None
            # Not sent on a live connection: the next connection sends it.
            sub.sent = asyncio.get_running_loop().create_future()
            await sub.sent
        except BaseException:
            if self._subs.get(key) is sub:
                del self._subs[key]
            raise

    async def unsubscribe(self, key: TopicKey) -> None:
        """Stop delivering `key`'s rows (the indexer has no unsubscribe: module docstring)."""
        sub = self._subs.pop(key, None)
        if sub is not None:
            _settle(sub, StreamDisconnected("UNSUBSCRIBED", "unsubscribed before it was sent"))

    # -- connection lifecycle -------------------------------------------------------

    async def _run(self) -> None:
        reason = "start"
        while True:
            self._set_state(ConnectionState.CONNECTING, reason)
            try:
                ws = await connect(
                    self._url,
                    open_timeout=self._open_timeout,
                    ping_interval=self._ping_interval,
                    ping_timeout=self._ping_interval,
                    max_size=2**22,
                )
            except (OSError, WebSocketException, TimeoutError) as exc:
                reason = f"connect failed: {exc}"
            except Exception as exc:
                # A bug must not leave the session silently dead: report it and retry.
                log.exception("Kana WebSocket connect failed unexpectedly")
                reason = f"internal error: {exc!r}"
            else:
                reason = await self._serve(ws)
            self.stats.reconnects += 1
            self._set_state(ConnectionState.RECONNECTING, reason)
            await asyncio.sleep(self._backoff.next())

    async def _serve(self, ws: ClientConnection) -> str:
        """Run one connection: subscribe everything, LIVE, read; return why it ended."""
        self._ws = ws
        self._sent = set()
        reader = asyncio.create_task(self._read(ws), name="kana ws reader")
        try:
            try:
                # Loop: a subscribe() that arrives while sending is picked up next round.
                while todo := [s for k, s in self._subs.items() if k not in self._sent]:
                    for sub in todo:
                        await self._send(ws, sub.key)
                        _settle(sub)
            except (ConnectionClosed, OSError) as exc:
                await ws.close()
                await reader
                return f"session setup failed: {exc}"
            self._backoff.reset()
            self._last_message_at = self._clock()
            self._set_state(ConnectionState.LIVE, "connected")
            self._live.set()
            return await reader
        finally:
            self._ws = None
            self._live.clear()
            if not reader.done():
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
            await ws.close()

    async def _send(self, ws: ClientConnection, key: TopicKey) -> None:
        await ws.send(key.request())
        self._sent.add(key)

    async def _watch(self) -> None:
        """Report STALE when a connected session has been silent for `stale_after` s."""
        while True:
            await asyncio.sleep(min(self._stale_after / 4, 1.0))
            silent = self._clock() - self._last_message_at
            if self.state is ConnectionState.LIVE and silent > self._stale_after:
                self._set_state(ConnectionState.STALE, f"no message for {silent:.1f} s")

    def _set_state(self, state: ConnectionState, reason: str) -> None:
        if state is self.state:
            return
        self.state = state
        log.info("Kana WebSocket %s (%s)", state, reason)
        for listener in list(self._listeners):
            try:
                listener(state, reason)
            except Exception:
                log.exception("state listener failed")

    # -- the reader: decode + route only ------------------------------------------

    async def _read(self, ws: ClientConnection) -> str:
        try:
            async for raw in ws:
                self._on_frame(raw)
        except ConnectionClosed as exc:
            return f"connection closed: {exc}"
        return f"connection closed: {ws.close_code} {ws.close_reason or ''}".rstrip()

    def _on_frame(self, raw: str | bytes) -> None:
        self._last_message_at = self._clock()
        if self.state is ConnectionState.STALE:
            self._set_state(ConnectionState.LIVE, "messages again")
        self.stats.messages += 1
        try:
            envelope = ENVELOPE.decode(raw)
            decoder = DECODERS.get(envelope.message)
            if decoder is None:
                self.stats.unrouted += 1
                return
            rows = decoder.decode(envelope.data)
            groups = self._group(envelope.message, rows)
        except (msgspec.DecodeError, msgspec.ValidationError, InvalidAddress) as exc:
            self.stats.undecodable += 1
            count = self.stats.undecodable
            if count & (count - 1) == 0:  # the 1st, 2nd, 4th, ...: a flood cannot flood the log
                log.warning("skipped an indexer message (%d so far): %s", count, exc)
            return
        if not groups:
            self.stats.unrouted += 1  # an empty reply that could be any of several
        for key, group in groups.items():
            sub = self._subs.get(key)
            if sub is None:
                self.stats.unrouted += 1
                continue
            try:
                sub.callback(group)
            except Exception:
                self.stats.callback_errors += 1
                count = self.stats.callback_errors
                if count & (count - 1) == 0:
                    log.exception("subscriber of %s failed (%d so far)", key, count)

    def _group(self, topic: str, rows: list[Any]) -> dict[TopicKey, list[Any]]:
        """Rows by the subscription they belong to."""
        if not rows:
            sent = [k for k in self._sent if k.topic == topic]
            return {sent[0]: []} if len(sent) == 1 else {}
        groups: dict[TopicKey, list[Any]] = {}
        for row in rows:
            key = row.market_id if topic == ORDERBOOK else normalize_address(row.address)
            groups.setdefault(TopicKey(topic, key), []).append(row)
        return groups


def _settle(sub: _Subscription, error: BaseException | None = None) -> None:
    """Resolve whoever waits for `sub` to be sent."""
    if sub.sent is not None and not sub.sent.done():
        if error is None:
            sub.sent.set_result(None)
        else:
            sub.sent.set_exception(error)
