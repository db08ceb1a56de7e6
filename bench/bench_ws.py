"""WebSocket ingest: how many book deltas a second the session's reader takes off the wire.

Paradex drops a client that lets 2,000 messages queue, so the reader must outrun the feed.
A loopback `websockets` server pushes N notifications as fast as it can; the figure is the
rate at which `WsSession` decodes and routes them to a subscriber, for JSON text frames
and for SBE binary frames. Baseline, same run: a bare `websockets` client doing only
`json.loads` per text frame.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from bench.report import emit
from terminal.venues.paradex.sbe.decode import encode_public
from terminal.venues.paradex.ws.session import WsSession

N = 50_000
CHANNEL = "order_book.BTC-USD-PERP.deltas"


def _delta(seq: int) -> dict[str, Any]:
    return {
        "market": "BTC-USD-PERP",
        "seq_no": seq,
        "last_updated_at": 1_718_267_837_265,
        "update_type": "d",
        "inserts": [{"side": "BUY", "price": f"{67000 + seq % 50}.5", "size": "0.25"}],
        "updates": [{"side": "SELL", "price": "67100", "size": "1.5"}],
        "deletes": [],
    }


def _notification(seq: int) -> str:
    params = {"channel": CHANNEL, "data": _delta(seq)}
    return json.dumps({"jsonrpc": "2.0", "method": "subscription", "params": params})


FRAMES: dict[str, list[str] | list[bytes]] = {
    "text": [_notification(s) for s in range(1, N + 1)],
    "sbe": [encode_public("order_book", _delta(s), 2) for s in range(1, N + 1)],
}


def _pump(kind: Callable[[], str]) -> Callable[[ServerConnection], Any]:
    """A server that acks any request and then sends every frame of the current kind."""

    async def handler(ws: ServerConnection) -> None:
        async for message in ws:
            request = json.loads(message)
            channel = request.get("params", {}).get("channel")
            await ws.send(
                json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": {"channel": channel}})
            )
            for frame in FRAMES[kind()]:
                await ws.send(frame)

    return handler


async def _baseline(url: str) -> float:
    async with connect(url, compression=None) as ws:
        start = time.perf_counter()
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "go", "params": {}}))
        received = 0
        async for message in ws:
            json.loads(message)
            received += 1
            if received == N + 1:  # the ack, then N notifications
                break
        return N / (time.perf_counter() - start)


async def _session_rate(url: str) -> float:
    done = asyncio.Event()
    count = 0

    def on_update(_event: object) -> None:
        nonlocal count
        count += 1
        if count == N:
            done.set()

    session = WsSession(url, sbe_version=None)
    await session.start()
    try:
        start = time.perf_counter()
        await session.subscribe(CHANNEL, on_update)
        await asyncio.wait_for(done.wait(), timeout=120)
        return N / (time.perf_counter() - start)
    finally:
        await session.close()


async def _run() -> None:
    current = {"kind": "text"}
    async with serve(_pump(lambda: current["kind"]), "127.0.0.1", 0, compression=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        url = f"ws://127.0.0.1:{port}/v1"
        baseline = await _baseline(url)
        for kind in ("text", "sbe"):
            current["kind"] = kind
            rate = await _session_rate(url)
            emit(f"ws_session_ingest_{kind}_msgs_per_s", rate, "msg/s", baseline)


def main() -> None:
    """Print the session's ingest rates against the bare-client baseline."""
    asyncio.run(_run())


if __name__ == "__main__":
    main()
