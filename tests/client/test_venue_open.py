"""Opening a Paradex venue against the embedded exchange: what overlaps, and what a failed
log-in leaves behind."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from terminal.domain.connection import ConnectionState
from terminal.sim.context import SimConfig
from terminal.sim.faults import Faults
from terminal.sim.server import ExchangeUrls, SimServer
from terminal.venues.paradex.crypto.signing import generate_private_key
from terminal.venues.paradex.errors import ParadexError
from terminal.venues.paradex.venue import ParadexVenue
from tests.conftest import poll_until

REST_DELAY_MS = 150.0
"""Every REST answer waits this long: the open takes ≥ 5 of them (config, time, auth,
onboarding, auth), the WebSocket's handshake none."""


@pytest.fixture
async def exchange() -> AsyncIterator[tuple[SimServer, ExchangeUrls]]:
    sim = SimServer(SimConfig(seed=3, rate=50.0), Faults())
    urls = await sim.start("127.0.0.1", 0)
    try:
        yield sim, urls
    finally:
        await sim.stop()


def _paths(server: SimServer, prefix: str = "/v1/") -> list[str]:
    """The REST paths the exchange has received, in order."""
    return [
        str(a["path"]) for a in server.ctx.arrivals.to_json() if str(a["path"]).startswith(prefix)
    ]


async def test_the_websocket_is_dialled_while_rest_signs_in(
    exchange: tuple[SimServer, ExchangeUrls],
) -> None:
    server, urls = exchange
    server.ctx.faults.rest_delay_ms = REST_DELAY_MS
    opening = asyncio.create_task(
        ParadexVenue.open(urls.rest, urls.ws, private_key=generate_private_key())
    )
    await poll_until(lambda: server.ctx.hub.clients)
    # Connected before the first REST answer (the config) is back: no second request yet.
    assert set(_paths(server)) <= {"/v1/system/config"}
    venue = await asyncio.wait_for(opening, 10.0)
    try:
        assert venue.ws.state is ConnectionState.LIVE
        assert venue.rest.jwt.current() is not None
        # One log-in: the session took the token this one fetched, it did not sign in again.
        assert len(_paths(server, "/v1/auth")) == 2  # NOT_ONBOARDED, then the token
    finally:
        await venue.close()


async def test_a_refused_log_in_closes_the_dialled_websocket(
    exchange: tuple[SimServer, ExchangeUrls],
) -> None:
    server, urls = exchange
    with pytest.raises(ParadexError, match="INVALID_STARKNET_ADDRESS"):
        # An account address that is not the key's: the exchange refuses the log-in.
        await ParadexVenue.open(urls.rest, urls.ws, private_key=generate_private_key(), account=7)
    await poll_until(lambda: not server.ctx.hub.clients)
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("ws ")]
