"""Import the heavy modules on a worker thread while the window is already on screen.

The session needs the venue client, the services, the panels and pyqtgraph (≈ 1 s of
imports, mostly Python bytecode); importing them on the UI thread would freeze the first
second after the window appears. A worker thread shares the GIL in 5 ms slices, so the
loop keeps painting. Only module imports (and the signer's pure-Python table, below) run
there: no Qt object is created off-thread.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from collections.abc import Sequence

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
VENUE_WARM_UPS = (("terminal.venues.paradex.crypto.signing", "warm_up"),)
"""(module, function) run after the imports: the signer's generator table (≈ 60 ms of
Python), built at log-in otherwise, on the UI thread."""
DESK_MODULES = ("terminal.app.desk",)
"""The first screen's panels (ladder, tape, markets; no numpy, no pyqtgraph): preloaded
while the log-in's round trips run, so a live book shows as soon as the venue answers."""
CHART_MODULES = (
    "terminal.widgets.chart",
    "terminal.app.trading_binding",
    "terminal.app.account_binding",
)
"""The rest (pyqtgraph and numpy are most of it): preloaded while the first book arrives."""
SWITCH_INTERVAL_S = 0.001
"""The GIL's switch interval while a preload runs (Python's default is 5 ms). The UI thread
waits up to one interval for the GIL each time it wakes (a socket read, a paint) while the
worker imports; 1 ms keeps the log-in's round trips and the first paints from queueing
behind bytecode compilation."""


class _QuickSwitching:
    """Holds the GIL's switch interval at SWITCH_INTERVAL_S while any preload runs."""

    def __init__(self) -> None:
        self._running = 0
        self._default = sys.getswitchinterval()

    def __enter__(self) -> None:
        if self._running == 0:
            self._default = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._running += 1

    def __exit__(self, *exc_info: object) -> None:
        self._running -= 1
        if self._running == 0:
            sys.setswitchinterval(self._default)


_quick_switching = _QuickSwitching()


async def preload(
    modules: Sequence[str],
    warm_ups: Sequence[tuple[str, str]] = (),
) -> None:
    """Import `modules`, then call `warm_ups`, on a worker thread; raises what they raised."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def settle(error: BaseException | None) -> None:
        if not done.done():
            if error is None:
                done.set_result(None)
            else:
                done.set_exception(error)

    def work() -> None:
        try:
            for name in modules:
                importlib.import_module(name)
            for name, function in warm_ups:
                getattr(importlib.import_module(name), function)()
        except BaseException as exc:  # handed to the awaiting task, not lost on the thread
            loop.call_soon_threadsafe(settle, exc)
        else:
            loop.call_soon_threadsafe(settle, None)

    thread = threading.Thread(target=work, name="preload", daemon=True)
    with _quick_switching:
        thread.start()
        try:
            await done
        finally:
            # Even when cancelled, wait (without blocking the loop) for the imports to end: a
            # thread left inside an extension module's init can crash interpreter shutdown.
            if not done.done():
                await asyncio.wait([done])
            thread.join()
