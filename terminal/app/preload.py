"""Import the heavy modules on a worker thread while the window is already on screen.

The session needs the venue client, the services, the panels and pyqtgraph (≈ 1 s of
imports, mostly Python bytecode); importing them on the UI thread would freeze the first
second after the window appears. A worker thread shares the GIL in 5 ms slices, so the
loop keeps painting. Only module imports run there: no Qt object is created off-thread.
"""

from __future__ import annotations

import asyncio
import importlib
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
PANEL_MODULES = ("terminal.app.desk", "terminal.widgets.chart", "terminal.app.trading_binding")
"""The panels (pyqtgraph is most of it): preloaded while the log-in's round trips run."""


async def preload(modules: Sequence[str]) -> None:
    """Import `modules` on a worker thread; raises what the imports raised."""
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
        except BaseException as exc:  # handed to the awaiting task, not lost on the thread
            loop.call_soon_threadsafe(settle, exc)
        else:
            loop.call_soon_threadsafe(settle, None)

    thread = threading.Thread(target=work, name="preload", daemon=True)
    thread.start()
    try:
        await done
    finally:
        # Even when cancelled, wait (without blocking the loop) for the imports to end: a
        # thread left inside an extension module's init can crash interpreter shutdown.
        if not done.done():
            await asyncio.wait([done])
        thread.join()
