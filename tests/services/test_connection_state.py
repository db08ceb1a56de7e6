"""VenueConnection's state: forwarded from the session, LIVE after a reconnect only once
account data is reconciled, one reconnect counted per outage."""

from __future__ import annotations

import asyncio

import pytest

from terminal.domain.connection import ConnectionState as S
from terminal.services.connection import VenueConnection
from terminal.venues.paradex.errors import ServerError


class FakeVenue:
    """Just what VenueConnection reads of a venue."""

    clock_skew_ms = 0

    def __init__(self) -> None:
        self.instruments: dict[str, object] = {}
        self.state = S.LIVE
        self.closed = 0

    def add_state_listener(self, callback: object) -> None:
        pass

    def add_subscription_lost_listener(self, callback: object) -> None:
        pass

    def upkeep(self) -> dict[str, object]:
        return {}

    async def close(self) -> None:
        self.closed += 1

    def data_age(self) -> float | None:
        return None


@pytest.fixture
def conn(supervisor) -> VenueConnection:
    return VenueConnection(
        FakeVenue(),  # type: ignore[arg-type]
        supervisor,
        reconcile_backoff=(0.001, 0.01),
    )


def drive(conn: VenueConnection, *states: S) -> None:
    for state in states:
        conn.venue.state = state  # type: ignore[misc]
        conn._on_venue_state(state, f"why {state}")


async def test_reconnect_is_live_only_once_reconciliation_succeeded(
    conn: VenueConnection,
) -> None:
    seen: list[tuple[S, str]] = []
    drops: list[str] = []
    changed = asyncio.Event()

    def on_state(state: S, reason: str) -> None:
        seen.append((state, reason))
        changed.set()

    conn.add_state_listener(on_state)
    conn.add_disconnect_listener(drops.append)
    gate = asyncio.Event()
    ran: list[str] = []
    failures = [ServerError("SERVICE_UNAVAILABLE", "busy", 503), TimeoutError()]

    async def flaky() -> None:
        ran.append("flaky")
        changed.set()
        if failures:
            raise failures.pop(0)

    async def slow() -> None:
        await gate.wait()
        ran.append("slow")

    conn.add_reconciler(flaky)
    conn.add_reconciler(slow)
    drive(conn, S.LIVE, S.STALE, S.RECONNECTING, S.CONNECTING, S.RECONNECTING, S.CONNECTING)
    drive(conn, S.LIVE)
    assert conn.state is S.CONNECTING  # not LIVE yet: reconciling
    assert drops == ["why RECONNECTING"]
    assert conn.subscriptions.stats.snapshot().reconnects == 1
    async with asyncio.timeout(2):
        while ran.count("flaky") < 3:
            changed.clear()
            await changed.wait()
    assert conn.state is S.CONNECTING  # failures are retried, never reported as live
    gate.set()
    async with asyncio.timeout(2):
        while conn.state is not S.LIVE:
            changed.clear()
            await changed.wait()
    assert ran == ["flaky", "flaky", "flaky", "slow"]
    reasons = [reason for state, reason in seen if state is S.CONNECTING]
    assert "reconciling account data" in reasons
    assert any(r.startswith("reconciliation failed: ") and "retrying in" in r for r in reasons)
    assert [s for s, _ in seen if s is not S.CONNECTING] == [
        S.LIVE, S.STALE, S.RECONNECTING, S.RECONNECTING, S.LIVE
    ]  # fmt: skip


async def test_a_drop_during_reconciliation_starts_it_over(conn: VenueConnection) -> None:
    calls: list[int] = []
    started = asyncio.Event()
    live = asyncio.Event()
    gate = asyncio.Event()
    conn.add_state_listener(lambda state, _: live.set() if state is S.LIVE else None)

    async def reconciler() -> None:
        calls.append(len(calls))
        started.set()
        if len(calls) == 1:
            await asyncio.Event().wait()  # hangs until cancelled by the drop
        await gate.wait()

    conn.add_reconciler(reconciler)
    drive(conn, S.LIVE, S.RECONNECTING, S.CONNECTING, S.LIVE)
    live.clear()
    await asyncio.wait_for(started.wait(), 2)
    drive(conn, S.RECONNECTING, S.CONNECTING)
    assert conn.state is S.CONNECTING
    drive(conn, S.LIVE)
    gate.set()
    await asyncio.wait_for(live.wait(), 2)
    assert calls == [0, 1] and conn.state is S.LIVE


async def test_close_closes_the_venue_once(conn: VenueConnection) -> None:
    seen: list[S] = []
    conn.add_state_listener(lambda state, _: seen.append(state))
    await conn.close()
    await conn.close()
    assert conn.venue.closed == 1  # type: ignore[attr-defined]
    assert seen == [S.CLOSED]
