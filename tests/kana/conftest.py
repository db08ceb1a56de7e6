"""Kana fixtures: the seed's example messages and the documented APT market."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from terminal.sim.context import SimConfig
from terminal.sim.kana.server import KanaSimServer
from terminal.sim.server import ExchangeUrls
from terminal.venues.kana.markets import KanaMarket, MarketInfo

DATA = Path(__file__).parent / "data"
SEED_MESSAGES = (DATA / "seed_messages.txt").read_text().splitlines()
"""The seed's `Received message:` lines, verbatim, in the seed's order."""
SEED_REQUESTS = (DATA / "seed_requests.txt").read_text().splitlines()
"""The seed's `Sent subscription request:` lines, verbatim."""
ADDRESS = "0x4d6dc68e391e86991e58ab4d548b7e92872430d1f51bc666fe0c206bad7ff770"


def apt_info(market_id: str = "396") -> MarketInfo:
    """Kana's documented APT/USDC market (getMarketInfo?marketId=501) under another id."""
    return MarketInfo(
        market_id=market_id,
        base_name="APT/USDC",
        base_decimals=8,
        quote_decimals=6,
        lot_size="100000",
        tick_size="1",
        min_lots="500",
        max_lots="150000000",
        max_leverage="20",
        maintenance_margin="250",
        quote_precision=3,
    )


@pytest.fixture
def apt() -> KanaMarket:
    """The seed's market 396, with the documented APT market's scales."""
    return apt_info().to_domain()


class Recorder:
    """Collects a stream's events; `until` waits for a condition on them (no sleeps)."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self._changed = asyncio.Event()

    def __call__(self, event: Any) -> None:
        self.events.append(event)
        self._changed.set()

    def poke(self, *_: Any) -> None:
        """Wake `until` without an event (e.g. from a state listener)."""
        self._changed.set()

    async def until(self, predicate: Callable[[], bool], limit_s: float = 15.0) -> None:
        """Wait until `predicate()` holds, re-checking after each event."""
        async with asyncio.timeout(limit_s):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()


@pytest.fixture
async def kana_sim() -> AsyncIterator[tuple[KanaSimServer, ExchangeUrls]]:
    """The embedded exchange in Kana mode, on loopback, for one test."""
    server = KanaSimServer(SimConfig(seed=3, rate=300.0))
    urls = await server.start()
    try:
        yield server, urls
    finally:
        await server.stop()
