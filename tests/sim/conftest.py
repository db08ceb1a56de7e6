"""Shared helpers for the exchange-server tests: keys, signed requests, a running server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any, cast

import httpx
import pytest
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

from terminal.sim.context import ACCOUNT_CLASS_HASH, DEFAULT_CHAIN_ID, PROXY_CLASS_HASH, SimConfig
from terminal.sim.faults import Faults
from terminal.sim.server import ExchangeUrls, SimServer
from terminal.venues.paradex.crypto import signing

PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
"""PROTOCOL §12.1's private key (already reduced mod n)."""


class Trader:
    """A test trader: its Stark key, account and signer, and raw-httpx helpers."""

    def __init__(self, private_key: int = PRIVATE_KEY, chain_id: str = DEFAULT_CHAIN_ID) -> None:
        self.public_key = signing.public_key_from_private(private_key)
        self.account = signing.account_address(
            self.public_key, PROXY_CLASS_HASH, ACCOUNT_CLASS_HASH
        )
        self.signer = signing.ParadexSigner(
            private_key, self.account, signing.chain_id_from_name(chain_id)
        )

    def onboarding_request(self) -> tuple[dict[str, str], dict[str, str]]:
        headers = {
            "PARADEX-ETHEREUM-ACCOUNT": "0xd2c7314539dCe7752c8120af4eC2AA750Cf2035e",
            "PARADEX-STARKNET-ACCOUNT": hex(self.account),
            "PARADEX-STARKNET-SIGNATURE": signing.format_signature(self.signer.sign_onboarding()),
        }
        return headers, {"public_key": hex(self.public_key)}

    def auth_headers(self, now_s: int | None = None, ttl_s: int = 86_400) -> dict[str, str]:
        ts = int(time.time()) if now_s is None else now_s
        return {
            "PARADEX-STARKNET-ACCOUNT": hex(self.account),
            "PARADEX-STARKNET-SIGNATURE": signing.format_signature(
                self.signer.sign_auth(ts, ts + ttl_s)
            ),
            "PARADEX-TIMESTAMP": str(ts),
            "PARADEX-SIGNATURE-EXPIRATION": str(ts + ttl_s),
        }

    def order(
        self,
        market: str,
        side: str,
        size: str,
        price: str | None,
        *,
        order_type: str = "LIMIT",
        client_id: str = "",
        ts_ms: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        ts = int(time.time() * 1000) if ts_ms is None else ts_ms
        sig = self.signer.sign_order(
            market=market,
            side=side,
            order_type=order_type,
            size=Decimal(size),
            price=Decimal(price or 0),
            timestamp_ms=ts,
        )
        body: dict[str, Any] = {
            "market": market,
            "side": side,
            "type": order_type,
            "size": size,
            "instruction": "GTC",
            "client_id": client_id,
            "signature": signing.format_signature(sig),
            "signature_timestamp": ts,
            "recv_window": None,
            "stp": None,
        }
        if price is not None:
            body["price"] = price
        body.update(extra)
        return body

    async def login(self, http: httpx.AsyncClient) -> str:
        """Onboard, then get a JWT; returns the token."""
        headers, body = self.onboarding_request()
        r = await http.post("/onboarding", headers=headers, json=body)
        assert r.status_code == 200, r.text
        r = await http.post(f"/auth/{hex(self.public_key)}", headers=self.auth_headers())
        assert r.status_code == 200, r.text
        token: str = r.json()["jwt_token"]
        return token


@pytest.fixture(scope="session")
def trader() -> Trader:
    return Trader()


class Running:
    """A started server and its URLs."""

    def __init__(self, server: SimServer, urls: ExchangeUrls) -> None:
        self.server = server
        self.urls = urls
        self.ctx = server.ctx


async def start(faults: dict[str, Any] | None = None, **options: Any) -> Running:
    """Start a server on a free loopback port (caller stops it)."""
    knobs = Faults()
    knobs.update(faults or {})
    config = SimConfig(**{"seed": 7, "rate": 200.0, **options})
    server = SimServer(config, knobs)
    return Running(server, await server.start("127.0.0.1", 0))


@pytest.fixture
async def make_exchange() -> AsyncIterator[Callable[..., Awaitable[Running]]]:
    """A factory for servers with options/faults; every one is stopped after the test."""
    started: list[Running] = []

    async def factory(faults: dict[str, Any] | None = None, **options: Any) -> Running:
        running = await start(faults, **options)
        started.append(running)
        return running

    try:
        yield factory
    finally:
        for running in started:
            await running.server.stop()


@pytest.fixture
async def exchange(make_exchange: Callable[..., Awaitable[Running]]) -> Running:
    return await make_exchange()


@pytest.fixture
async def http(exchange: Running) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=exchange.urls.rest, timeout=10) as client:
        yield client


@pytest.fixture
async def token(trader: Trader, http: httpx.AsyncClient) -> str:
    """A JWT for `trader` on the `exchange` fixture."""
    return await trader.login(http)


@pytest.fixture
def signed_order(trader: Trader) -> Callable[..., dict[str, Any]]:
    """Build a signed order body: signed_order(market, side, size, price, **options)."""
    return trader.order


class WsProbe:
    """A raw JSON-RPC WebSocket client: RPC answers by id; everything else is buffered."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._next_id = 0
        self.pending: list[str | bytes] = []

    async def recv(self, wait_s: float = 5.0) -> str | bytes:
        """The next frame, buffered first."""
        if self.pending:
            return self.pending.pop(0)
        return await asyncio.wait_for(self.ws.recv(), wait_s)

    async def rpc(self, method: str, params: Any = None, wait_s: float = 5.0) -> dict[str, Any]:
        """Send a request and wait for its answer; data frames received meanwhile are kept."""
        self._next_id += 1
        req_id = self._next_id
        await self.ws.send(
            json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": req_id})
        )
        async with asyncio.timeout(wait_s):
            while True:
                frame = await self.ws.recv()
                if isinstance(frame, str):
                    msg = json.loads(frame)
                    if msg.get("id") == req_id:
                        return cast(dict[str, Any], msg)
                self.pending.append(frame)

    async def notification(self, channel: str | None = None, wait_s: float = 5.0) -> dict[str, Any]:
        """The next JSON notification (on `channel` if given); other frames are skipped."""
        async with asyncio.timeout(wait_s):
            while True:
                frame = await self.recv(wait_s)
                if isinstance(frame, bytes):
                    continue
                msg = json.loads(frame)
                if msg.get("method") == "subscription" and (
                    channel is None or msg["params"]["channel"] == channel
                ):
                    return cast(dict[str, Any], msg["params"])


@pytest.fixture
async def connect(exchange: Running) -> AsyncIterator[Callable[..., Awaitable[WsProbe]]]:
    """Open raw WebSocket connections to `exchange` (closed after the test)."""
    opened: list[ClientConnection] = []

    async def factory(query: str = "", url: str | None = None) -> WsProbe:
        ws = await ws_connect((url or exchange.urls.ws) + query, max_queue=None)
        opened.append(ws)
        return WsProbe(ws)

    try:
        yield factory
    finally:
        for ws in opened:
            await ws.close()
