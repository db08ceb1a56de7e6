"""Fault knobs (README): drops make gaps, 429 with Retry-After, disconnects, slow clients."""

from __future__ import annotations

import asyncio
import itertools
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from terminal.sim.faults import Faults, FaultSpecError
from tests.conftest import poll_until

MARKET = "BTC-USD-PERP"


def test_fault_spec_is_validated_as_a_whole() -> None:
    faults = Faults.from_text('{"drop": {"order_book": 0.5}, "rest_429": 0.1}')
    assert faults.drop == {"order_book": 0.5}
    with pytest.raises(FaultSpecError):
        faults.update({"rest_5xx": 0.2, "no_such_knob": 1})
    assert faults.rest_5xx == 0  # nothing applied from a rejected spec
    with pytest.raises(FaultSpecError):
        faults.update({"rest_429": 2})


async def test_drop_fault_makes_a_seq_gap(make_exchange: Any, connect: Any) -> None:
    running = await make_exchange({"drop": {"order_book": 0.5}})
    probe = await connect(url=running.urls.ws)
    channel = f"order_book.{MARKET}.deltas"
    assert "result" in await probe.rpc("subscribe", {"channel": channel})
    seqs = [(await probe.notification(channel))["data"]["seq_no"] for _ in range(12)]
    assert any(b - a > 1 for a, b in itertools.pairwise(seqs))


async def test_rest_429_with_retry_after_and_admin_path(exchange: Any) -> None:
    base = exchange.urls.rest.removesuffix("/v1")
    async with httpx.AsyncClient(base_url=base) as http:
        r = await http.post("/_sim/faults", json={"rest_429": 1.0, "retry_after_s": 2})
        assert r.status_code == 200 and r.json()["rest_429"] == 1.0
        limited = await http.get("/v1/system/time")
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "2"
        assert (await http.get("/_sim/faults")).json()["retry_after_s"] == 2
        await http.post("/_sim/faults", json={"rest_429": 0, "rest_5xx": 1.0})
        assert (await http.get("/v1/system/time")).status_code == 503
        await http.post("/_sim/faults", json={"rest_5xx": 0})
        assert (await http.get("/v1/system/time")).status_code == 200
        bad = await http.post("/_sim/faults", json={"rest_429": "lots"})
        assert bad.status_code == 400


async def test_disconnect_fault_closes_every_websocket(exchange: Any, connect: Any) -> None:
    probes = [await connect() for _ in range(2)]
    await poll_until(lambda: len(exchange.ctx.hub.clients) == 2)
    base = exchange.urls.rest.removesuffix("/v1")
    async with httpx.AsyncClient(base_url=base) as http:
        await http.post("/_sim/faults", json={"disconnect": True})
    for probe in probes:
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(5):
                while True:
                    await probe.ws.recv()


async def test_malformed_frames_arrive_and_the_feed_survives(make_exchange: Any) -> None:
    running = await make_exchange({"malformed_per_s": 100})
    async with ws_connect(running.urls.ws) as ws:
        kinds: set[type] = set()
        async with asyncio.timeout(5):
            while len(kinds) < 2:
                kinds.add(type(await ws.recv()))
        assert kinds == {str, bytes}


async def test_slow_client_is_disconnected_past_the_queue_limit(make_exchange: Any) -> None:
    running = await make_exchange(rate=4000.0)
    url = urlsplit(running.urls.ws)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((url.hostname, url.port))
    ws = await ws_connect(running.urls.ws, sock=sock, max_queue=1, compression=None)
    try:
        books = [f"order_book.{m}.deltas" for m in running.ctx.venue.markets]
        for channel in ("trades.ALL", "bbo.ALL", "markets_summary", *books):
            await ws.send(
                f'{{"jsonrpc":"2.0","method":"subscribe","params":{{"channel":"{channel}"}},"id":1}}'
            )
        await poll_until(lambda: len(running.ctx.hub.clients) == 1)
        client = next(iter(running.ctx.hub.clients))
        await poll_until(lambda: client.closing, wait_s=30)
        await poll_until(lambda: not running.ctx.hub.clients)
        with pytest.raises(ConnectionClosed):  # the client, reading again, finds it closed
            async with asyncio.timeout(10):
                while True:
                    await ws.recv()
        assert ws.close_code in (1008, 1006)
    finally:
        await ws.close()


async def test_paused_matching_keeps_orders_new_until_resumed(
    exchange: Any, http: httpx.AsyncClient, token: str, signed_order: Any
) -> None:
    admin = exchange.urls.rest.removesuffix("/v1") + "/_sim/faults"
    auth = {"Authorization": f"Bearer {token}"}
    await http.post(admin, json={"matching_paused": True})
    body = signed_order(MARKET, "BUY", "0.01", None, order_type="MARKET")
    order = (await http.post("/orders", json=body, headers=auth)).json()
    assert (await http.get(f"/orders/{order['id']}", headers=auth)).json()["status"] == "NEW"
    await http.post(admin, json={"matching_paused": False})
    after = (await http.get(f"/orders/{order['id']}", headers=auth)).json()
    assert after["status"] == "CLOSED" and after["remaining_size"] == "0"


@pytest.mark.parametrize(
    "spec",
    [
        {"ws_delay_ms": 1e308},
        {"rest_delay_ms": 30_001},
        {"malformed_per_s": 1e9},
        {"retry_after_s": 2.5},
        {"retry_after_s": 10**9},
        {"drop": {"orderbook": 0.5}},
        {"disconnect": "yes"},
    ],
)
async def test_admin_path_refuses_unbounded_values(exchange: Any, spec: dict[str, Any]) -> None:
    base = exchange.urls.rest.removesuffix("/v1")
    async with httpx.AsyncClient(base_url=base) as http:
        before = (await http.get("/_sim/faults")).json()
        r = await http.post("/_sim/faults", json=spec)
        assert r.status_code == 400, r.text
        assert r.json()["error"] == "VALIDATION_ERROR"
        assert next(iter(spec)) in r.json()["message"]
        assert (await http.get("/_sim/faults")).json() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_admin_path_accepts_only_json(exchange: Any, content_type: str | None) -> None:
    base = exchange.urls.rest.removesuffix("/v1")
    headers = {"Content-Type": content_type} if content_type else {}
    async with httpx.AsyncClient(base_url=base) as http:
        r = await http.post("/_sim/faults", content=b'{"rest_5xx": 1.0}', headers=headers)
        assert r.status_code == 400
        assert "application/json" in r.json()["message"]
        assert (await http.get("/_sim/faults")).json()["rest_5xx"] == 0


def test_cli_fault_spec_refuses_nan_and_infinity() -> None:
    # Python's json module (the --faults parser) reads NaN and Infinity literals
    for text in ('{"ws_delay_ms": NaN}', '{"rest_delay_ms": Infinity}', '{"rest_429": NaN}'):
        with pytest.raises(FaultSpecError):
            Faults.from_text(text)
