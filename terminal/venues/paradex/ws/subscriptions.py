"""The WebSocket session's subscriptions: who gets which notification, and counts.

Routing follows PROTOCOL.md §11.5.8: subscriptions are indexed by (family, market), taken
from the channel name (`frames.channel_key`); a binary frame, which carries no channel
name, goes to its market's subscription, else to the family's `ALL` one. Never by string
prefix. One subscription per (family, market): a second order-book variant for a market,
or `markets_summary` next to `markets_summary.ALL`, is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from terminal.venues.paradex.errors import SubscribeError
from terminal.venues.paradex.ws.frames import Notification, channel_key

Callback = Callable[[object], None]

LOCAL_REFUSAL = -1
"""`SubscribeError.code` when the session itself refuses a subscription (not the venue)."""


@dataclass(slots=True)
class ChannelStats:
    """Message count, rate (msgs/s over the last ~1 s window) and last arrival of a channel."""

    count: int = 0
    rate: float = 0.0
    last_at: float | None = None
    _window_start: float | None = None
    _window_count: int = 0

    def record(self, now: float) -> None:
        """Count one message received at `now` (session clock, seconds)."""
        self.count += 1
        self.last_at = now
        if self._window_start is None:
            self._window_start = now
            self._window_count = self.count
        elif now - self._window_start >= 1.0:
            self.rate = (self.count - self._window_count) / (now - self._window_start)
            self._window_start = now
            self._window_count = self.count

    def age(self, now: float) -> float | None:
        """Seconds since the last message, None if none arrived yet."""
        return None if self.last_at is None else now - self.last_at


@dataclass(slots=True)
class SessionStats:
    """Live counters of a session (read them, do not write them)."""

    channels: dict[str, ChannelStats] = field(default_factory=dict)
    reconnects: int = 0
    unrouted: int = 0
    undecodable: int = 0
    callback_errors: int = 0
    frame_errors: int = 0


@dataclass(eq=False, slots=True)
class Subscription:
    """One subscribed channel and its callback.

    `generation` is the connection on which the venue acknowledged it (-1: not yet);
    `ready`, when someone waits for the ack across a reconnect, resolves with it.
    """

    channel: str
    family: str
    market: str
    callback: Callback
    stats: ChannelStats
    generation: int = -1
    ready: asyncio.Future[None] | None = None

    def settle(self, error: BaseException | None = None) -> None:
        """Resolve `ready` (if anyone waits) with success or `error`."""
        if self.ready is not None and not self.ready.done():
            if error is None:
                self.ready.set_result(None)
            else:
                self.ready.set_exception(error)


class SubscriptionRegistry:
    """Active subscriptions by channel name and by (family, market)."""

    def __init__(self, stats: SessionStats) -> None:
        self._stats = stats
        self._by_channel: dict[str, Subscription] = {}
        self._by_key: dict[tuple[str, str], Subscription] = {}

    def __iter__(self) -> Iterator[Subscription]:
        return iter(list(self._by_channel.values()))

    def __len__(self) -> int:
        return len(self._by_channel)

    def add(self, channel: str, callback: Callback) -> Subscription:
        """Register `channel`; `SubscribeError` if it, or its (family, market), is taken."""
        if channel in self._by_channel:
            raise SubscribeError(LOCAL_REFUSAL, f"already subscribed to {channel}")
        family, market = channel_key(channel)
        taken = self._by_key.get((family, market))
        if taken is not None:
            raise SubscribeError(
                LOCAL_REFUSAL, f"{channel} would share routing with {taken.channel}"
            )
        stats = self._stats.channels.setdefault(channel, ChannelStats())
        sub = Subscription(channel, family, market, callback, stats)
        self._by_channel[channel] = sub
        self._by_key[(family, market)] = sub
        return sub

    def remove(self, channel: str) -> Subscription | None:
        """Forget `channel`; returns what was registered, if anything."""
        sub = self._by_channel.pop(channel, None)
        if sub is not None:
            del self._by_key[(sub.family, sub.market)]
        return sub

    def get(self, channel: str) -> Subscription | None:
        """The subscription of exactly `channel`."""
        return self._by_channel.get(channel)

    def route(self, note: Notification) -> Subscription | None:
        """The subscription a notification belongs to: its market's, else its family's ALL."""
        if note.channel is not None:
            sub = self._by_channel.get(note.channel)
            if sub is not None:
                return sub
        sub = self._by_key.get((note.family, note.market))
        if sub is None and note.market != "ALL":
            sub = self._by_key.get((note.family, "ALL"))
        return sub
