"""Shared fixtures for the services tests: a fake venue session (keyrings: tests/conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from terminal.domain.account import AccountSummary, Fill, Position
from terminal.domain.marketdata import BookUpdate, Candle, Trade
from terminal.domain.orders import Order
from terminal.domain.streams import Stream
from terminal.services.subscriptions import SubscriptionHub
from terminal.services.supervisor import Supervisor
from terminal.venues.paradex.channels import channel_name
from terminal.venues.paradex.errors import SubscribeError


class FakeSession:
    """A WsSession stand-in: records subscribe/unsubscribe calls and lets a test push events.

    Like the real session it refuses a duplicate subscribe and an unsubscribe of a channel
    it does not hold, so a hub that miscounts fails the test.
    """

    def __init__(self) -> None:
        self.callbacks: dict[str, Callable[[Any], None]] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail: dict[str, Exception] = {}
        self.fail_next: dict[str, list[Exception]] = {}
        """Errors the next subscribes of a channel raise, one per call, before succeeding."""
        self.subscribed = asyncio.Event()
        self.gate: asyncio.Event | None = None
        """When set, subscribe/unsubscribe wait for it: lets a test interleave calls."""

    async def subscribe(self, channel: str, callback: Callable[[Any], None]) -> None:
        self.calls.append(("subscribe", channel))
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0)
        if channel in self.fail:
            raise self.fail[channel]
        if self.fail_next.get(channel):
            raise self.fail_next[channel].pop(0)
        if channel in self.callbacks:
            raise SubscribeError(-32600, f"already subscribed to {channel}")
        self.callbacks[channel] = callback
        self.subscribed.set()

    async def unsubscribe(self, channel: str) -> None:
        self.calls.append(("unsubscribe", channel))
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0)
        if self.callbacks.pop(channel, None) is None:
            raise SubscribeError(-32600, f"not subscribed to {channel}")

    def data_age(self) -> float | None:
        """Not measured (no venue clock)."""
        return None

    def drop(self, channel: str) -> None:
        """Forget `channel`, as the real session does when the venue refuses to renew it."""
        del self.callbacks[channel]

    def push(self, channel: str, event: Any) -> None:
        """Deliver one event as the session's reader would."""
        self.callbacks[channel](event)

    def count(self, kind: str, channel: str) -> int:
        """How many `kind` ("subscribe"/"unsubscribe") calls `channel` got."""
        return self.calls.count((kind, channel))


@pytest.fixture
def session() -> FakeSession:
    """A fresh fake WebSocket session."""
    return FakeSession()


@pytest.fixture
async def supervisor() -> AsyncIterator[Supervisor]:
    """A supervisor shut down (no task left pending) at the end of the test."""
    sup = Supervisor(restart_initial=0.01, restart_max=0.05)
    yield sup
    await sup.shutdown(timeout=2)


async def settle(supervisor: Supervisor, limit_s: float = 2.0) -> None:
    """Wait until the hub's subscribe/unsubscribe tasks on `supervisor` are done."""
    async with asyncio.timeout(limit_s):
        while names := {n for n in supervisor.task_names() if n.startswith("subscription ")}:
            running = [t for t in asyncio.all_tasks() if t.get_name() in names]
            if running:
                await asyncio.wait(running)
            else:  # finished, but their done-callbacks run on the next loop turn
                await asyncio.sleep(0)


@pytest.fixture
def settled() -> Callable[[Supervisor], Awaitable[None]]:
    """The `settle` helper, as a fixture (test modules cannot import each other)."""
    return settle


class FakeVenue:
    """The venue's names and market-data REST calls, answered from what the test puts in."""

    def __init__(self) -> None:
        self.snapshots: list[BookUpdate | Exception] = []
        """Answers to `orderbook`, in order; an exception is raised instead."""
        self.snapshot_calls = 0

    def channel(self, stream: Stream) -> str:
        return channel_name(stream)

    async def book_snapshot(self, market: str, depth: int) -> BookUpdate:
        self.snapshot_calls += 1
        await asyncio.sleep(0)
        answer = self.snapshots.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def klines(
        self, symbol: str, resolution: int, start_at: int, end_at: int
    ) -> list[Candle]:
        return []

    async def recent_trades(self, market: str, limit: int) -> list[Trade]:
        return []


class FakeTrading:
    """The account's REST reads answered from attributes the test sets; `gate` holds them."""

    def __init__(self) -> None:
        self.summary: AccountSummary | None = None
        self.position_rows: list[Position] = []
        self.order_rows: list[Order] = []
        self.fill_rows: list[Fill] = []
        self.gate: asyncio.Event | None = None
        self.calls = 0

    async def account_summary(self) -> AccountSummary:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        assert self.summary is not None
        return self.summary

    async def positions(self) -> list[Position]:
        return list(self.position_rows)

    async def open_orders(self, market: str | None = None) -> list[Order]:
        return list(self.order_rows)

    async def fills(self, limit: int) -> list[Fill]:
        return list(self.fill_rows)


class FakeConnection:
    """A VenueConnection stand-in over FakeSession, FakeVenue and FakeTrading."""

    def __init__(self, session: FakeSession, supervisor: Supervisor) -> None:
        self.venue = FakeVenue()
        self.trading = FakeTrading()
        self.subscriptions = SubscriptionHub(session, supervisor)
        self._disconnect_listeners: list[Callable[[str], None]] = []
        self._state_listeners: list[Callable[[Any, str], None]] = []
        self.reconcilers: list[Callable[[], Awaitable[object]]] = []

    def add_reconciler(self, reconciler: Callable[[], Awaitable[object]]) -> None:
        self.reconcilers.append(reconciler)

    def add_disconnect_listener(self, callback: Callable[[str], None]) -> None:
        self._disconnect_listeners.append(callback)

    def add_state_listener(self, callback: Callable[[Any, str], None]) -> None:
        self._state_listeners.append(callback)

    def set_state(self, state: Any, reason: str = "") -> None:
        """Tell the listeners the connection's state changed."""
        for callback in self._state_listeners:
            callback(state, reason)

    def disconnect(self, reason: str) -> None:
        """Tell the listeners the socket dropped."""
        for callback in self._disconnect_listeners:
            callback(reason)


@pytest.fixture
def connection(session: FakeSession, supervisor: Supervisor) -> FakeConnection:
    """A fake venue connection sharing the test's session and supervisor."""
    return FakeConnection(session, supervisor)
