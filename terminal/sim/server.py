"""The exchange server: one aiohttp app serving REST and WebSocket on one loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from terminal.sim import rest_routes, ws_routes
from terminal.sim.context import SIM_KEY, SimConfig, SimContext
from terminal.sim.engine import SimVenue
from terminal.sim.faults import Faults

log = logging.getLogger(__name__)


class NotLoopbackError(ValueError):
    """The exchange refuses to listen anywhere but the loopback interface."""


def require_loopback(host: str) -> None:
    """Raise NotLoopbackError unless `host` is a loopback address or "localhost"."""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise NotLoopbackError(f"refusing to listen on {host!r}: the simulator binds loopback only")


@dataclass(frozen=True, slots=True)
class ExchangeUrls:
    """Where a running exchange listens."""

    rest: str
    ws: str


def make_app(ctx: SimContext) -> web.Application:
    """The aiohttp application for one exchange context."""
    app = web.Application(middlewares=[rest_routes.api_middleware])
    app[SIM_KEY] = ctx
    ws_routes.add_routes(app)
    rest_routes.add_routes(app)
    return app


class SimServer:
    """A running exchange: the app, its listening site and the market ticker task."""

    def __init__(
        self,
        config: SimConfig,
        faults: Faults | None = None,
        *,
        venue: SimVenue | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        start_ms = int(clock() * 1000)
        if venue is None:
            venue = SimVenue(
                seed=config.seed, scenario=config.scenario, start_ms=start_ms, rate=config.rate
            )
        faults = faults or Faults()
        self.ctx = SimContext(venue=venue, config=config, faults=faults, clock=clock)
        venue.set_matching_paused(faults.matching_paused)
        venue.add_listener(self.ctx.hub.publish)
        self.app = make_app(self.ctx)
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> ExchangeUrls:
        """Listen on host:port (0 = any free port) and start the market."""
        require_loopback(host)
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        self._ticker = asyncio.create_task(self._tick_loop(), name="sim-ticker")
        hostport = (
            f"[{bound_host}]:{bound_port}" if ":" in bound_host else f"{bound_host}:{bound_port}"
        )
        return ExchangeUrls(rest=f"http://{hostport}/v1", ws=f"ws://{hostport}/v1")

    async def stop(self) -> None:
        """Stop the market, close every connection, release the port."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        self.ctx.hub.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _tick_loop(self) -> None:
        ctx = self.ctx
        period = ctx.config.tick_ms / 1000
        while True:
            now_ms = ctx.now_ms()
            try:
                ctx.venue.advance(now_ms)
                ctx.hub.tick(now_ms, ctx.faults.malformed_per_s)
            except Exception:
                # A failing step must not stop the market; it is logged and the next one runs.
                log.exception("market tick failed")
            await asyncio.sleep(period)
