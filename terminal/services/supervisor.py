"""The supervisor: the one owner of every background task.

API (the app and the other services call exactly this):

    supervisor = Supervisor()
    task = supervisor.spawn(coro, name="reader", group=Group.SOCKETS)
    task = supervisor.spawn(lambda: poll_loop(), name="poll", restart=True)
    supervisor.on_shutdown(connection.close, name="close venue", group=Group.SOCKETS)
    await supervisor.shutdown(timeout=5.0)

- `spawn` keeps a strong reference to the task until it finishes, and logs a failure with
  the task's name (never swallowed). With `restart=True` it takes a zero-argument factory
  returning a fresh coroutine and re-runs it after a failure, with exponential backoff
  and jitter; a loop that returns normally is finished and is not restarted.
- `shutdown` stops everything in phases, in the order of `Group` (widgets → view-models →
  services → sockets): in each phase the group's tasks are cancelled newest first and
  awaited, then its shutdown callbacks run, newest first. No task is left pending.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine
from enum import StrEnum
from typing import Any

from terminal.venues.backoff import Backoff

log = logging.getLogger(__name__)

CoroFactory = Callable[[], Coroutine[Any, Any, Any]]


class Group(StrEnum):
    """Shutdown phases, in the order they stop."""

    WIDGETS = "widgets"
    VIEWMODELS = "viewmodels"
    SERVICES = "services"
    SOCKETS = "sockets"


class SupervisorClosedError(RuntimeError):
    """A task was spawned after the supervisor shut down."""


class Supervisor:
    """Owns background tasks: keeps references, logs failures, restarts, stops in order."""

    def __init__(
        self,
        *,
        restart_initial: float = 0.5,
        restart_max: float = 30.0,
        rng: random.Random | None = None,
    ) -> None:
        self._restart_initial = restart_initial
        self._restart_max = restart_max
        self._rng = rng or random.Random()
        # Insertion-ordered: reversing a group's list gives newest-first cancellation.
        self._tasks: dict[Group, dict[asyncio.Task[Any], None]] = {g: {} for g in Group}
        self._closers: dict[Group, list[tuple[str, Callable[[], Awaitable[object]]]]] = {
            g: [] for g in Group
        }
        self._closed = False
        self.failures = 0
        """How many task runs ended with an exception (restarted runs each count)."""

    @property
    def closed(self) -> bool:
        """Whether `shutdown` has finished; spawning is refused from then on."""
        return self._closed

    def task_names(self) -> list[str]:
        """Names of the tasks still running, for diagnostics."""
        return [t.get_name() for tasks in self._tasks.values() for t in tasks]

    def spawn(
        self,
        coro: Coroutine[Any, Any, Any] | CoroFactory,
        *,
        name: str,
        restart: bool = False,
        group: Group = Group.SERVICES,
    ) -> asyncio.Task[Any]:
        """Start a supervised task; with `restart`, `coro` must be a coroutine factory."""
        if self._closed:
            if asyncio.iscoroutine(coro):
                coro.close()
            raise SupervisorClosedError(f"cannot spawn {name!r}: supervisor is shut down")
        if restart:
            if asyncio.iscoroutine(coro):
                coro.close()
                raise TypeError("restart=True needs a coroutine factory, not a coroutine")
            body: Coroutine[Any, Any, Any] = self._restarting(coro, name)
        elif asyncio.iscoroutine(coro):
            body = coro
        else:
            body = coro()
        task = asyncio.get_running_loop().create_task(body, name=name)
        self._tasks[group][task] = None
        task.add_done_callback(lambda t: self._finished(t, group))
        return task

    def on_shutdown(
        self,
        callback: Callable[[], Awaitable[object]],
        *,
        name: str,
        group: Group = Group.SERVICES,
    ) -> None:
        """Register an async closer run in `group`'s shutdown phase, after its tasks stop."""
        self._closers[group].append((name, callback))

    # One budget for the whole phased shutdown, split across phases: not an asyncio.timeout.
    async def shutdown(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Cancel and await every task, group by group, then run the closers; idempotent."""
        if self._closed:
            return
        deadline = time.monotonic() + timeout
        for group in Group:
            await self._stop_group(group, deadline)
        # Anything a closer spawned into an earlier group while later groups stopped.
        for group in Group:
            await self._stop_group(group, deadline)
        self._closed = True

    async def _stop_group(self, group: Group, deadline: float) -> None:
        tasks = self._tasks[group]
        while tasks:
            pending = list(reversed(tasks))
            for task in pending:
                task.cancel()
            remaining = max(deadline - time.monotonic(), 0.01)
            _, still = await asyncio.wait(pending, timeout=remaining)
            for task in still:
                log.error("task %s ignored cancellation at shutdown", task.get_name())
                tasks.pop(task, None)
        closers = self._closers[group]
        while closers:
            name, callback = closers.pop()
            try:
                await asyncio.wait_for(callback(), max(deadline - time.monotonic(), 0.01))
            except Exception:
                log.exception("shutdown step %s failed", name)

    def _finished(self, task: asyncio.Task[Any], group: Group) -> None:
        self._tasks[group].pop(task, None)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.failures += 1
            log.error("task %s failed", task.get_name(), exc_info=exc)

    async def _restarting(self, factory: CoroFactory, name: str) -> None:
        backoff = Backoff(self._restart_initial, self._restart_max, rng=self._rng)
        while True:
            started = time.monotonic()
            try:
                await factory()
                return
            except Exception as exc:
                self.failures += 1
                log.error("task %s failed; restarting", name, exc_info=exc)
            # A run that stayed up longer than the longest backoff was healthy: start over.
            if time.monotonic() - started > self._restart_max:
                backoff.reset()
            await asyncio.sleep(backoff.next())
