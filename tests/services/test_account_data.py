"""The account view: live from private channels, reconciled over REST, never rolled back."""

from __future__ import annotations

import asyncio
import dataclasses
from decimal import Decimal

import pytest

from terminal.domain.account import AccountSummary, Fill, Position
from terminal.domain.orders import Order, OrderStatus, OrderType, Side, TimeInForce
from terminal.services.account_data import AccountDataService

M = "ETH-USD-PERP"
ONE = Decimal(1)


def order(oid: str, seq: int, status: OrderStatus = OrderStatus.OPEN) -> Order:
    return Order(
        oid, f"c{oid}", M, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, ONE, ONE,
        Decimal(2000), None, None, status, "", False, 1, seq, seq,
    )  # fmt: skip


def position(size: str, at: int) -> Position:
    return Position(M, Decimal(size), Decimal(2000), Decimal(0), Decimal(0), None, None,
                    "OPEN" if Decimal(size) else "CLOSED", at)  # fmt: skip


def summary(at: int, value: str = "1000") -> AccountSummary:
    v = Decimal(value)
    return AccountSummary("0x1", v, v, v, Decimal(0), Decimal(0), Decimal(0), "ACTIVE", at)


def fill(fid: str, at: int) -> Fill:
    return Fill(fid, "o1", "c1", M, Side.BUY, ONE, ONE, Decimal(0), "TAKER", Decimal(0), at)


async def test_start_subscribes_private_channels_and_loads_rest(
    session, connection, supervisor
) -> None:
    rest = connection.trading
    rest.summary = summary(1)
    rest.position_rows = [position("0.5", 1)]
    rest.order_rows = [order("o1", 5), order("o2", 6)]
    rest.fill_rows = [fill("f1", 10)]
    service = AccountDataService(connection, supervisor)
    kinds: list[str] = []
    service.add_listener(kinds.append)
    await service.start()
    assert set(session.callbacks) == {"account", "positions", "orders.ALL", "fills.ALL"}
    assert service.live and service.summary == rest.summary
    assert list(service.open_orders) == ["o1", "o2"]
    assert service.positions[M].size == Decimal("0.5")
    assert kinds[-1] == "live"

    session.push("orders.ALL", order("o1", 7, OrderStatus.CLOSED))
    session.push("orders.ALL", order("o2", 4, OrderStatus.CLOSED))  # older than known: ignored
    session.push("fills.ALL", fill("f2", 11))
    session.push("fills.ALL", fill("f2", 11))  # duplicate
    session.push("positions", position("0", 2))
    assert list(service.open_orders) == ["o2"]
    assert [f.id for f in service.fills] == ["f2", "f1"]
    assert service.positions == {}
    service.close()


async def test_ws_updates_during_reconcile_win_over_older_rest_rows(
    session, connection, supervisor
) -> None:
    rest = connection.trading
    rest.summary = summary(1)
    service = AccountDataService(connection, supervisor)
    await service.start()

    connection.disconnect("network")
    assert not service.live
    # The REST read starts; meanwhile the socket reports o3 filled and a new order o4.
    rest.order_rows = [order("o3", 5)]
    rest.gate = asyncio.Event()
    reconcile = asyncio.ensure_future(connection.reconcilers[0]())
    await asyncio.sleep(0)
    session.push("orders.ALL", order("o3", 9, OrderStatus.CLOSED))
    session.push("orders.ALL", order("o4", 10))
    rest.gate.set()
    await asyncio.wait_for(reconcile, 2)
    assert list(service.open_orders) == ["o4"]
    assert service.live


async def test_newer_summary_is_kept(session, connection, supervisor) -> None:
    connection.trading.summary = summary(5, "1000")
    service = AccountDataService(connection, supervisor)
    await service.start()
    session.push("account", summary(4, "1"))
    assert service.summary is not None and service.summary.account_value == 1000
    session.push("account", dataclasses.replace(summary(6, "900")))
    assert service.summary.account_value == 900


async def test_not_live_after_a_disconnect_until_a_reconciliation_succeeds(
    session, connection, supervisor
) -> None:
    from terminal.venues.paradex.errors import ServerError

    rest = connection.trading
    rest.summary = summary(1)
    service = AccountDataService(connection, supervisor)
    await service.start()
    assert service.live
    connection.disconnect("server closed")
    assert not service.live
    rest.summary = None  # the REST read fails: still not live
    original = rest.account_summary

    async def failing() -> AccountSummary:
        raise ServerError("SERVICE_UNAVAILABLE", "busy", 503)

    rest.account_summary = failing  # type: ignore[method-assign]
    (reconciler,) = connection.reconcilers
    with pytest.raises(ServerError):  # the connection retries it with backoff
        await reconciler()
    assert not service.live
    rest.account_summary = original  # type: ignore[method-assign]
    rest.summary = summary(2)
    await reconciler()
    assert service.live and service.summary == summary(2)


async def test_overlapping_reconciliations_run_one_after_the_other(connection, supervisor) -> None:
    rest = connection.trading
    rest.summary = summary(1)
    rest.order_rows = [order("o1", 5)]
    service = AccountDataService(connection, supervisor)
    rest.gate = asyncio.Event()
    first = asyncio.ensure_future(service.reconcile())
    second = asyncio.ensure_future(service.reconcile())
    await asyncio.sleep(0)
    rest.gate.set()
    await asyncio.wait_for(asyncio.gather(first, second), 2)
    assert service.live and set(service.open_orders) == {"o1"} and rest.calls == 2
