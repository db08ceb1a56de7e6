"""WsSession over TLS, as against the real venue: slices and chunks on an SSL transport.

The certificate authority is a test one (`trustme`), trusted through `SSL_CERT_FILE` so
that the session verifies the server exactly as it verifies a real venue.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme
from websockets.asyncio.server import serve

from terminal.venues.paradex.ws.session import ConnectionState, WsSession
from tests.client.conftest import Signal, WsVenue, notification
from tests.client.test_ws_containment import spin
from tests.client.test_ws_session import trade

CHANNEL = "trades.BTC-USD-PERP"


@pytest.fixture
async def tls_venue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signal: Signal
) -> AsyncIterator[WsVenue]:
    """The scripted venue of the other WebSocket tests, served over TLS."""
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    venue = WsVenue(signal)
    async with serve(
        venue.handler, "127.0.0.1", 0, process_request=venue.process_request, ssl=server_context
    ) as server:
        port = server.sockets[0].getsockname()[1]
        venue.url = f"wss://localhost:{port}/v1"
        yield venue


async def test_over_tls_a_large_read_is_parsed_in_chunks_and_delivered_in_slices(
    tls_venue: WsVenue, signal: Signal
) -> None:
    session = WsSession(tls_venue.url, sbe_version=None)
    await session.start()
    try:
        assert session.state is ConnectionState.LIVE
        connection = session._ws
        assert connection is not None and connection.transport.get_extra_info("ssl_object")
        parsed: list[int] = []
        receive_data = connection.protocol.receive_data

        def spy(data: bytes) -> None:
            parsed.append(len(data))
            receive_data(data)

        connection.protocol.receive_data = spy  # type: ignore[method-assign]
        seen: list[str] = []
        between: list[int] = []
        loop = asyncio.get_running_loop()

        def costly(event: object) -> None:
            seen.append(event.id)  # type: ignore[attr-defined]
            if len(seen) == 1:
                loop.call_soon(lambda: between.append(len(seen)))
            spin(0.0001)
            signal.notify()

        await session.subscribe(CHANNEL, costly)
        parsed.clear()
        count = 3000
        tls_venue.push_at_once(
            [notification(CHANNEL, trade("BTC-USD-PERP", str(n))) for n in range(count)]
        )
        await signal.until(lambda: len(seen) == count, within=30)
        assert seen == [str(n) for n in range(count)]
        assert between and between[0] < count
        assert max(parsed) <= connection.chunk_bytes < sum(parsed)
        assert session.stats.frame_errors == 0 and session.stats.reconnects == 0
    finally:
        await session.close()
