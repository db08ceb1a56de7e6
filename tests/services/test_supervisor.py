"""The supervisor owns tasks: failures are logged by name, shutdown leaves nothing behind."""

from __future__ import annotations

import asyncio
import logging

import pytest

from terminal.services.supervisor import Group, Supervisor, SupervisorClosedError


async def test_failing_task_is_logged_and_others_keep_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sup = Supervisor()
    survivor_ticks = asyncio.Event()

    async def survivor() -> None:
        await asyncio.sleep(0)
        survivor_ticks.set()
        await asyncio.Event().wait()

    async def boom() -> None:
        raise ValueError("kaput")

    alive = sup.spawn(survivor(), name="survivor")
    failing = sup.spawn(boom(), name="boom-task")
    await asyncio.wait_for(asyncio.wait([failing]), 1)
    await asyncio.wait_for(survivor_ticks.wait(), 1)
    await asyncio.sleep(0)  # let the done callback run
    assert not alive.done()
    assert sup.failures == 1
    assert any(
        "boom-task" in r.getMessage() and r.levelno == logging.ERROR and r.exc_info
        for r in caplog.records
    )
    assert sup.task_names() == ["survivor"]
    await sup.shutdown()
    assert alive.cancelled()


async def test_shutdown_cancels_in_group_order_newest_first() -> None:
    sup = Supervisor()
    order: list[str] = []

    async def wait_forever(name: str) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            order.append(name)

    sup.spawn(wait_forever("socket"), name="socket", group=Group.SOCKETS)
    sup.spawn(wait_forever("svc-old"), name="svc-old")
    sup.spawn(wait_forever("svc-new"), name="svc-new")
    sup.spawn(wait_forever("widget"), name="widget", group=Group.WIDGETS)

    async def closer() -> None:
        order.append("close-socket")

    sup.on_shutdown(closer, name="close", group=Group.SOCKETS)
    await asyncio.sleep(0)
    await sup.shutdown(timeout=1)
    assert order == ["widget", "svc-new", "svc-old", "socket", "close-socket"]
    assert sup.task_names() == []
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert others == []


async def test_restart_reruns_a_failing_loop_until_it_finishes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sup = Supervisor(restart_initial=0.001, restart_max=0.01)
    runs = 0

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        if runs < 3:
            raise ConnectionError("try again")

    task = sup.spawn(flaky, name="flaky-loop", restart=True)
    await asyncio.wait_for(task, 2)
    assert runs == 3
    assert sup.failures == 2
    assert sum("flaky-loop" in r.getMessage() for r in caplog.records) == 2
    await sup.shutdown()


async def test_restart_needs_a_factory() -> None:
    sup = Supervisor()

    async def once() -> None:
        return None

    with pytest.raises(TypeError):
        sup.spawn(once(), name="x", restart=True)
    await sup.shutdown()


async def test_spawn_after_shutdown_is_refused() -> None:
    sup = Supervisor()
    await sup.shutdown()

    async def late() -> None:
        return None

    with pytest.raises(SupervisorClosedError):
        sup.spawn(late(), name="late")


async def test_failing_closer_is_logged_and_shutdown_continues(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sup = Supervisor()
    ran: list[str] = []

    async def bad() -> None:
        raise OSError("socket gone")

    async def good() -> None:
        ran.append("good")

    sup.on_shutdown(good, name="good", group=Group.SOCKETS)
    sup.on_shutdown(bad, name="bad-closer", group=Group.SERVICES)
    await sup.shutdown()
    assert ran == ["good"]
    assert any("bad-closer" in r.getMessage() for r in caplog.records)
