"""Reference-counted channel subscriptions over the one shared WebSocket session.

API:

    hub = SubscriptionHub(session, supervisor, stats=FeedStats())
    lease = await hub.acquire("trades.BTC-USD-PERP", on_trade)   # waits for the ack
    lease = hub.lease("trades.BTC-USD-PERP", on_trade)           # sync; subscribes in background
    await lease.wait_ready()                                     # raises the subscribe error
    lease.release()                                              # sync, idempotent
    hub.lease_count(channel), hub.is_subscribed(channel), hub.publish(channel, value)
    hub.subscription_lost(channel, error)      # the session dropped it (renewal refused)
    hub.add_error_listener(cb)                 # cb(channel, error | None); None: healthy again
    hub.problems() -> dict[str, BaseException] # channels with leases but no subscription

The first lease on a channel subscribes; later leases share that subscription; when the
last one is released the unsubscribe is scheduled on the supervisor. Subscribe and
unsubscribe of one channel are serialised, so release-then-acquire ends subscribed.

Faults: a subscribe cut off by a disconnect (`StreamDisconnected`) or left unanswered
(`TimeoutError`) keeps its leases pending and is tried again with backoff; so is a
channel the session reports lost (the venue refused to renew it after a reconnect). Each
failure is logged and reported to the error listeners, and so is the recovery. Only a
venue's refusal of a first subscribe fails the leases (`Lease.error`): the channel is
wrong, asking again would not help.

An optional per-channel `adapter` turns each raw event into the value listeners get (or
None to deliver nothing): the market-data service uses it to apply book deltas once per
message however many panels watch the book. Listeners must be cheap and must not block;
one that raises is logged and the others still get the message. A failure anywhere on
that path (statistics, adapter, a listener) is counted in `hub.failures` and logged
sparingly: a bug that fires on every message must not flood the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from terminal.domain.errors import StreamDisconnected
from terminal.services.feed_stats import FeedStats
from terminal.services.supervisor import Group, Supervisor
from terminal.venues.backoff import Backoff
from terminal.venues.failures import FailureLog

log = logging.getLogger(__name__)

Listener = Callable[[Any], None]
Adapter = Callable[[Any], Any]
ErrorListener = Callable[[str, BaseException | None], None]

RETRY_BACKOFF = (0.5, 30.0)
"""First and longest wait (s) before subscribing a failed or lost channel again."""


class ChannelSession(Protocol):
    """What the hub needs from a WebSocket session (`WsSession`)."""

    def subscribe(self, channel: str, callback: Callable[[Any], None]) -> Awaitable[None]:
        """Subscribe and wait for the ack."""
        ...

    def unsubscribe(self, channel: str) -> Awaitable[None]:
        """Unsubscribe."""
        ...

    def data_age(self) -> float | None:
        """How old market data is on arrival, in seconds (None: not measured)."""
        ...


class Lease:
    """One holder's share of a channel subscription."""

    def __init__(self, hub: SubscriptionHub, channel: str, listener: Listener) -> None:
        self.channel = channel
        self.listener = listener
        self.error: BaseException | None = None
        """Why the subscription failed, if it did (the lease is then released)."""
        self._hub = hub
        self._ready = asyncio.Event()
        self._released = False

    def __repr__(self) -> str:
        state = "released" if self._released else "ready" if self._ready.is_set() else "pending"
        return f"Lease({self.channel!r}, {state})"

    @property
    def released(self) -> bool:
        """Whether this lease no longer receives messages."""
        return self._released

    def release(self) -> None:
        """Stop receiving; the last release of a channel unsubscribes it. Idempotent."""
        if not self._released:
            self._released = True
            self._hub._release(self)

    async def wait_ready(self) -> None:
        """Wait until the channel is subscribed; raise the subscribe error if it failed."""
        await self._ready.wait()
        if self.error is not None:
            raise self.error

    def _settle(self, error: BaseException | None = None) -> None:
        self.error = error
        if error is not None:
            self._released = True
        self._ready.set()


class _Channel:
    __slots__ = (
        "adapter",
        "backoff",
        "leases",
        "listeners",
        "lock",
        "problem",
        "retry_scheduled",
        "subscribed",
    )

    def __init__(self, adapter: Adapter | None, backoff: Backoff) -> None:
        self.adapter = adapter
        self.backoff = backoff
        # Why the channel has leases but no subscription (None: healthy); while set,
        # every failure is retried, a refusal included (the channel worked before).
        self.problem: BaseException | None = None
        self.retry_scheduled = False
        self.leases: dict[Lease, None] = {}
        # Rebuilt on every lease change so the per-message loop iterates a snapshot
        # without copying (a listener may release its lease while being called).
        self.listeners: tuple[Listener, ...] = ()
        self.lock = asyncio.Lock()
        self.subscribed = False

    def add(self, lease: Lease) -> None:
        self.leases[lease] = None
        self.listeners = tuple(held.listener for held in self.leases)

    def discard(self, lease: Lease) -> bool:
        if self.leases.pop(lease, "gone") == "gone":
            return False
        self.listeners = tuple(held.listener for held in self.leases)
        return True

    def clear(self) -> None:
        self.leases.clear()
        self.listeners = ()


class SubscriptionHub:
    """Shares channel subscriptions between their holders, counting references."""

    def __init__(
        self,
        session: ChannelSession,
        supervisor: Supervisor,
        *,
        stats: FeedStats | None = None,
        retry_backoff: tuple[float, float] = RETRY_BACKOFF,
    ) -> None:
        self._session = session
        self._supervisor = supervisor
        self.stats = stats or FeedStats(data_age=session.data_age)
        self._retry_backoff = retry_backoff
        self._channels: dict[str, _Channel] = {}
        self._error_listeners: list[ErrorListener] = []
        self.failures = FailureLog(log)

    def add_error_listener(self, callback: ErrorListener) -> None:
        """Call `callback(channel, error)` when a channel fails or is lost, and
        `callback(channel, None)` when it is subscribed again."""
        self._error_listeners.append(callback)

    def problems(self) -> dict[str, BaseException]:
        """Channels that have leases but no subscription right now, with the reason."""
        return {c: e.problem for c, e in self._channels.items() if e.problem and e.leases}

    def subscription_lost(self, channel: str, error: BaseException) -> None:
        """The session dropped `channel` (e.g. the venue refused to renew it): subscribe
        it again, with backoff, for as long as it has leases."""
        entry = self._channels.get(channel)
        if entry is None or not entry.subscribed:
            return  # no lease, or a subscribe in flight that sees the error itself
        entry.subscribed = False
        log.error("subscription %s lost: %s; subscribing again", channel, error)
        self._report(channel, entry, error)
        self._schedule_retry(channel, entry)

    def lease(self, channel: str, listener: Listener, *, adapter: Adapter | None = None) -> Lease:
        """Take a share of `channel` now; the subscribe (if needed) runs in the background."""
        entry = self._channels.get(channel)
        if entry is None:
            entry = self._channels[channel] = _Channel(adapter, Backoff(*self._retry_backoff))
        elif adapter is not None and entry.adapter is None:
            entry.adapter = adapter
        lease = Lease(self, channel, listener)
        entry.add(lease)
        if entry.subscribed and not entry.lock.locked():
            lease._settle()
        elif not entry.retry_scheduled:
            self._spawn_sync(channel, entry)
        return lease

    async def acquire(
        self, channel: str, listener: Listener, *, adapter: Adapter | None = None
    ) -> Lease:
        """Take a share of `channel` and wait until it is subscribed."""
        lease = self.lease(channel, listener, adapter=adapter)
        await lease.wait_ready()
        return lease

    def lease_count(self, channel: str) -> int:
        """How many live leases share `channel`."""
        entry = self._channels.get(channel)
        return len(entry.leases) if entry else 0

    def is_subscribed(self, channel: str) -> bool:
        """Whether `channel` is subscribed on the session right now."""
        entry = self._channels.get(channel)
        return bool(entry and entry.subscribed)

    def channels(self) -> list[str]:
        """Channels with at least one lease."""
        return [c for c, e in self._channels.items() if e.leases]

    def publish(self, channel: str, value: Any) -> None:
        """Deliver `value` to `channel`'s listeners as if it came from the feed, past the
        adapter (e.g. a book the service cleared on disconnect)."""
        entry = self._channels.get(channel)
        if entry is not None:
            self._deliver(channel, entry.listeners, value)

    def _release(self, lease: Lease) -> None:
        entry = self._channels.get(lease.channel)
        if entry is None or not entry.discard(lease):
            return
        if not entry.leases and not self._supervisor.closed:
            self._spawn_sync(lease.channel, entry)

    def _spawn_sync(self, channel: str, entry: _Channel) -> None:
        self._supervisor.spawn(
            self._sync(channel, entry), name=f"subscription {channel}", group=Group.SOCKETS
        )

    def _schedule_retry(self, channel: str, entry: _Channel) -> None:
        if entry.retry_scheduled or self._supervisor.closed:
            return
        entry.retry_scheduled = True
        delay = entry.backoff.next()
        self._supervisor.spawn(
            self._retry(channel, entry, delay),
            name=f"subscription retry {channel}",
            group=Group.SOCKETS,
        )

    async def _retry(self, channel: str, entry: _Channel, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
        finally:
            entry.retry_scheduled = False
        await self._sync(channel, entry)

    def _report(self, channel: str, entry: _Channel, error: BaseException | None) -> None:
        entry.problem = error
        for callback in list(self._error_listeners):
            try:
                callback(channel, error)
            except Exception:
                log.exception("subscription error listener failed")

    async def _sync(self, channel: str, entry: _Channel) -> None:
        """Bring the session's subscription in line with the lease count."""
        async with entry.lock:
            if entry.leases and not entry.subscribed:
                try:
                    await self._session.subscribe(channel, self._dispatcher(channel, entry))
                except Exception as exc:
                    if entry.problem is None and not isinstance(
                        exc, StreamDisconnected | TimeoutError
                    ):
                        log.warning("subscribe %s failed: %s", channel, exc)
                        for lease in list(entry.leases):
                            lease._settle(exc)
                        entry.clear()
                    else:
                        log.warning("subscribe %s failed: %s; trying again", channel, exc)
                        self._report(channel, entry, exc)
                        self._schedule_retry(channel, entry)
                        return
                else:
                    entry.subscribed = True
                    entry.backoff.reset()
                    if entry.problem is not None:
                        log.info("subscription %s restored", channel)
                        self._report(channel, entry, None)
            elif not entry.leases and entry.subscribed:
                entry.subscribed = False
                try:
                    await self._session.unsubscribe(channel)
                except Exception as exc:
                    log.warning("unsubscribe %s failed: %s", channel, exc)
            for lease in entry.leases:
                lease._settle()
            if not entry.leases and not entry.subscribed and self._channels.get(channel) is entry:
                del self._channels[channel]
                if entry.problem is not None:  # nobody needs the channel any more
                    self._report(channel, entry, None)

    def _dispatcher(self, channel: str, entry: _Channel) -> Callable[[Any], None]:
        """The session callback of one channel: count, adapt, fan out (the hot path)."""
        record = self.stats.record
        deliver = self._deliver
        failed = self.failures.record

        def dispatch(event: Any) -> None:
            try:
                record(channel)
            except Exception:
                # Statistics are for the status bar: never a reason to lose a message.
                failed("statistics", f"feed statistics failed on {channel}")
            adapter = entry.adapter
            if adapter is not None:
                try:
                    event = adapter(event)
                except Exception:
                    failed("adapter", f"adapter for {channel} failed on a message")
                    return
                if event is None:
                    return
            deliver(channel, entry.listeners, event)

        return dispatch

    def _deliver(self, channel: str, listeners: tuple[Listener, ...], value: Any) -> None:
        for listener in listeners:
            try:
                listener(value)
            except Exception:
                self.failures.record("listener", f"listener on {channel} failed")
