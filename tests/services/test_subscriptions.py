"""Reference counting: one subscribe per channel however many holders, unsubscribe at zero."""

from __future__ import annotations

import asyncio
import logging

import pytest

from terminal.services.feed_stats import FeedStats
from terminal.services.subscriptions import SubscriptionHub
from terminal.venues.paradex.errors import SubscribeError

CH = "trades.BTC-USD-PERP"


async def test_two_leases_share_one_subscription(session, supervisor, settled) -> None:
    hub = SubscriptionHub(session, supervisor)
    got_a: list[object] = []
    got_b: list[object] = []
    a = await hub.acquire(CH, got_a.append)
    b = await hub.acquire(CH, got_b.append)
    assert session.count("subscribe", CH) == 1
    assert hub.lease_count(CH) == 2
    session.push(CH, "t1")
    assert got_a == ["t1"] and got_b == ["t1"]

    a.release()
    a.release()  # idempotent
    await settled(supervisor)
    assert session.count("unsubscribe", CH) == 0
    session.push(CH, "t2")
    assert got_a == ["t1"] and got_b == ["t1", "t2"]

    b.release()
    await settled(supervisor)
    assert session.count("unsubscribe", CH) == 1
    assert not hub.is_subscribed(CH) and hub.channels() == []

    c = await hub.acquire(CH, got_a.append)
    assert session.count("subscribe", CH) == 2
    session.push(CH, "t3")
    assert got_a == ["t1", "t3"]
    c.release()
    await settled(supervisor)


async def test_concurrent_acquires_subscribe_once(session, supervisor) -> None:
    session.gate = asyncio.Event()
    hub = SubscriptionHub(session, supervisor)
    pending = [asyncio.ensure_future(hub.acquire(CH, lambda _: None)) for _ in range(3)]
    await asyncio.sleep(0)
    session.gate.set()
    leases = await asyncio.wait_for(asyncio.gather(*pending), 2)
    assert session.count("subscribe", CH) == 1
    assert all(repr(lease).endswith("ready)") for lease in leases)


async def test_release_then_reacquire_while_unsubscribing_ends_subscribed(
    session, supervisor, settled
) -> None:
    hub = SubscriptionHub(session, supervisor)
    first = await hub.acquire(CH, lambda _: None)
    session.gate = asyncio.Event()
    first.release()  # schedules the unsubscribe, which now blocks on the gate
    await asyncio.sleep(0)
    second = hub.lease(CH, lambda _: None)
    session.gate.set()
    await asyncio.wait_for(second.wait_ready(), 2)
    await settled(supervisor)
    assert session.calls == [("subscribe", CH), ("unsubscribe", CH), ("subscribe", CH)]
    assert hub.is_subscribed(CH) and CH in session.callbacks


async def test_subscribe_error_reaches_the_holder_and_frees_the_channel(
    session, supervisor, settled
) -> None:
    session.fail[CH] = SubscribeError(-32600, "invalid channel")
    hub = SubscriptionHub(session, supervisor)
    with pytest.raises(SubscribeError):
        await hub.acquire(CH, lambda _: None)
    await settled(supervisor)
    assert hub.lease_count(CH) == 0 and hub.channels() == []
    del session.fail[CH]
    lease = await hub.acquire(CH, lambda _: None)
    assert not lease.released and hub.is_subscribed(CH)


async def test_a_raising_listener_does_not_starve_the_others(
    session, supervisor, caplog: pytest.LogCaptureFixture
) -> None:
    hub = SubscriptionHub(session, supervisor)
    got: list[object] = []

    def bad(_: object) -> None:
        raise RuntimeError("listener bug")

    await hub.acquire(CH, bad)
    await hub.acquire(CH, got.append)
    session.push(CH, "x")
    assert got == ["x"]
    assert any(r.levelno == logging.ERROR and CH in r.getMessage() for r in caplog.records)


async def test_adapter_runs_once_per_message_and_can_filter(session, supervisor) -> None:
    hub = SubscriptionHub(session, supervisor)
    adapted: list[int] = []

    def adapter(n: int) -> int | None:
        adapted.append(n)
        return n * 10 if n % 2 else None

    seen_a: list[int] = []
    seen_b: list[int] = []
    await hub.acquire(CH, seen_a.append, adapter=adapter)
    await hub.acquire(CH, seen_b.append, adapter=adapter)
    for n in (1, 2, 3):
        session.push(CH, n)
    assert adapted == [1, 2, 3]
    assert seen_a == seen_b == [10, 30]
    hub.publish(CH, 99)
    assert seen_a[-1] == 99
    snap = hub.stats.snapshot()
    assert snap.by_channel == {CH: 3} and snap.by_family == {"trades": 3}


async def test_a_subscribe_cut_off_by_a_disconnect_is_retried_not_dropped(
    session, supervisor
) -> None:
    from terminal.venues.paradex.errors import WsDisconnected

    hub = SubscriptionHub(session, supervisor, retry_backoff=(0.001, 0.01))
    problems: list[tuple[str, object]] = []
    hub.add_error_listener(lambda channel, error: problems.append((channel, error)))
    session.fail_next[CH] = [WsDisconnected("connection lost"), TimeoutError()]
    got: list[object] = []
    lease = hub.lease(CH, got.append)
    await asyncio.wait_for(lease.wait_ready(), 2)
    assert lease.error is None and not lease.released
    assert session.count("subscribe", CH) == 3 and hub.is_subscribed(CH)
    session.push(CH, "t1")
    assert got == ["t1"]
    assert [type(e).__name__ for _, e in problems] == ["WsDisconnected", "TimeoutError", "NoneType"]
    assert hub.problems() == {}


async def test_a_lost_subscription_is_resubscribed_with_backoff_and_reported(
    session, supervisor, caplog
) -> None:
    hub = SubscriptionHub(session, supervisor, retry_backoff=(0.001, 0.01))
    reports: list[tuple[str, object]] = []
    changed = asyncio.Event()

    def on_error(channel: str, error: object) -> None:
        reports.append((channel, error))
        changed.set()

    hub.add_error_listener(on_error)
    got: list[object] = []
    lease = await hub.acquire(CH, got.append)
    refusal = SubscribeError(-32600, "invalid subscribe request")
    session.drop(CH)
    session.fail_next[CH] = [refusal]  # the first retry is refused too: retried again
    session.subscribed.clear()
    with caplog.at_level(logging.ERROR):
        hub.subscription_lost(CH, refusal)
    assert not hub.is_subscribed(CH) and hub.problems() == {CH: refusal}
    assert "subscription trades.BTC-USD-PERP lost" in caplog.text
    await asyncio.wait_for(session.subscribed.wait(), 2)
    async with asyncio.timeout(2):
        while not hub.is_subscribed(CH):
            changed.clear()
            await changed.wait()
    assert session.count("subscribe", CH) == 3
    assert reports == [(CH, refusal), (CH, refusal), (CH, None)]
    assert hub.problems() == {} and not lease.released
    session.push(CH, "t1")
    assert got == ["t1"]


async def test_a_failure_on_the_delivery_path_never_skips_the_other_listeners(
    session, supervisor, caplog
) -> None:
    # Issue 9: a statistics failure (the IndexError after a long silence) reached every
    # message before the listeners; one broken listener must not starve its neighbours.
    class BrokenClock:
        calls = 0

        def __call__(self) -> float:
            self.calls += 1
            if self.calls > 1:
                raise IndexError("statistics bug")
            return 100.0

    hub = SubscriptionHub(session, supervisor, stats=FeedStats(BrokenClock()))
    got: list[object] = []

    def explode(_event: object) -> None:
        raise RuntimeError("listener bug")

    await hub.acquire(CH, explode)
    await hub.acquire(CH, got.append)
    with caplog.at_level(logging.ERROR, "terminal.services.subscriptions"):
        for n in range(40):
            session.push(CH, n)
    assert got == list(range(40))
    assert hub.failures.counts == {"statistics": 39, "listener": 40}
    # Logged at the 1st, 2nd, 4th, ... occurrence of each: 6 + 6 lines, not 79.
    assert len(caplog.records) == 12
