"""`run_exchange`: an in-process exchange on the running loop, for tests and the terminal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from terminal.sim.context import SimConfig
from terminal.sim.faults import Faults
from terminal.sim.server import ExchangeUrls, SimServer


@asynccontextmanager
async def run_exchange(
    seed: int = 1,
    rate: float = 200.0,
    scenario: str = "calm",
    faults: dict[str, Any] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    **options: Any,
) -> AsyncIterator[ExchangeUrls]:
    """Run an exchange on `host:port` (port 0 = free) until the block exits.

    `options` are further `SimConfig` fields (e.g. `ping_interval_s`, `max_queue`,
    `retail_speed_bump`, `jwt_ttl_s`, `chain_id`).
    """
    config = SimConfig(seed=seed, rate=rate, scenario=scenario, **options)
    fault_knobs = Faults()
    fault_knobs.update(faults or {})
    server = SimServer(config, fault_knobs)
    urls = await server.start(host, port)
    try:
        yield urls
    finally:
        await server.stop()
