"""Import the heavy, Qt-free modules on a worker thread while the window is built.

The session needs the venue client (httpx, websockets, msgspec schemas, crypto: ≈ 0.5 s of
imports, mostly Python bytecode); importing them on the UI thread would freeze the window.
A worker thread shares the GIL in 1 ms slices (below), so the loop keeps painting, and it
runs while the UI thread is in Qt's C++ (building and painting the window), which
releases the GIL.

Never preload a module that touches PySide6 (a Qt class, a `from PySide6… import`): the
first use of a Qt type creates it lazily inside shiboken, which is not thread-safe. Two
SIGSEGVs in CI and here came from pyqtgraph's import on this thread while the UI thread
ran Qt (crash.log: the worker in `pyqtgraph/Qt/__init__.py _copy_attrs`). The panels'
modules are imported on the UI thread; a test holds these lists Qt-free.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future

VENUE_MODULES = (
    "terminal.services.connection",
    "terminal.services.keystore",
    "terminal.services.market_data",
    "terminal.app.profiles",
    "terminal.app.venue_factory",
    # Imported lazily by venue_factory.open_connection: without this line its ≈ 0.2 s of
    # imports (httpx, websockets, schemas, crypto) ran on the UI thread (stall sampler).
    "terminal.venues.paradex.venue",
    # httpx imports these only when its first client is made (RestTransport.__init__):
    # ≈ 0.5 s on the UI thread at load 10 (stall sampler), a tenth of that on a quiet box.
    "httpcore",
    "anyio._backends._asyncio",
    "certifi",
)
"""What signing in needs: preloaded first, so the log-in can start."""
NEVER_IMPORTED = ("httpx._main",)
"""Modules a dependency tries to import but the app never uses: httpx's command line (rich,
click, pygments; ≈ 90 ms of the log-in's imports wherever they are installed, as in the
development environment `make run` shares with `make test`). `import httpx` falls back to a
stub when its `_main` cannot be imported."""
CHART_LIBRARIES = ("numpy",)
"""The chart's Qt-free library, preloaded while the first book arrives (pyqtgraph, which
copies PySide6's names at import, loads on the UI thread)."""
SWITCH_INTERVAL_S = 0.001
"""The GIL's switch interval while a preload runs (Python's default is 5 ms). The UI thread
waits up to one interval for the GIL each time it wakes (a socket read, a paint) while the
worker imports; 1 ms keeps the log-in's round trips and the first paints from queueing
behind bytecode compilation."""


class _QuickSwitching:
    """Holds the GIL's switch interval at SWITCH_INTERVAL_S while any preload runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # entered on the caller's thread, left on the worker's
        self._running = 0
        self._default = sys.getswitchinterval()

    def enter(self) -> None:
        """A preload starts."""
        with self._lock:
            if self._running == 0:
                self._default = sys.getswitchinterval()
                sys.setswitchinterval(SWITCH_INTERVAL_S)
            self._running += 1

    def leave(self) -> None:
        """A preload ended."""
        with self._lock:
            self._running -= 1
            if self._running == 0:
                sys.setswitchinterval(self._default)


_quick_switching = _QuickSwitching()


def block_unused_imports() -> None:
    """Make `NEVER_IMPORTED` unimportable (an ImportError, as if not installed); call before
    the first preload."""
    for name in NEVER_IMPORTED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def start_preload(modules: Sequence[str]) -> Future[None]:
    """Start importing `modules` on a worker thread; the future settles when they are
    done, with what they raised. Needs no event loop: main.py starts
    the venue's preload before Qt's window exists."""
    future: Future[None] = Future()
    future.set_running_or_notify_cancel()  # it runs to the end: cancel() cannot stop imports

    def work() -> None:
        error: BaseException | None = None
        try:
            for name in modules:
                importlib.import_module(name)
        except BaseException as exc:  # handed to whoever awaits, not lost on the thread
            error = exc
        # Before the future settles: whoever awaits it may run (and read the interval) at once.
        _quick_switching.leave()
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)

    _quick_switching.enter()
    threading.Thread(target=work, name="preload", daemon=True).start()
    return future


async def preload(modules: Sequence[str], *, started: Future[None] | None = None) -> None:
    """Import `modules` on a worker thread; raises what the imports raised. `started`:
    that preload, begun earlier with start_preload."""
    future = started or start_preload(modules)
    try:
        await asyncio.wrap_future(future)
    finally:
        # Even when cancelled, wait (without blocking the loop) for the imports to end: a
        # thread left inside an extension module's init can crash interpreter shutdown.
        if not future.done():
            await asyncio.wait([asyncio.wrap_future(future)])
