"""The embedded exchange's throughput, each figure beside a same-run baseline.

- WebSocket messages/s delivered to one client subscribed to every public channel of a
  fast market, the exchange a child process as in the app, vs the same client reading
  from a bare aiohttp pump, also another process (`python -m bench.bench_sim pump`).
- Signed orders accepted/s over REST (sequential), vs `GET /system/time` calls/s.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal

import httpx
from aiohttp import web
from websockets.asyncio.client import connect as ws_connect

from bench.report import emit_runs
from bench.server_process import server_process
from terminal.app.demo_exchange import DemoExchange
from terminal.app.exchange_child import exchange_command
from terminal.sim.context import ACCOUNT_CLASS_HASH, DEFAULT_CHAIN_ID, PROXY_CLASS_HASH
from terminal.sim.runner import run_exchange
from terminal.venues.paradex.crypto import signing

# Public messages/s the synthetic market is asked for: well above what Paradex sends one
# client, and what the exchange sustains on one core here (at 10k it sometimes fell behind
# its own writer and dropped the client at 2,000 queued messages: 1008).
SUSTAINED_RATE = 6_000.0

WINDOW_S = 2.0
REPEATS = 3
MARKET = "BTC-USD-PERP"
PRIVATE_KEY = 0x234567890ABCDCD1234567890ABCDEFA332319CFADC698AD56711F5351F3391
_SAMPLE = json.dumps(
    {
        "jsonrpc": "2.0",
        "method": "subscription",
        "params": {
            "channel": f"order_book.{MARKET}.deltas",
            "data": {"market": MARKET, "seq_no": 1, "update_type": "d", "inserts": []},
        },
    }
).ljust(450)


async def _count(url: str, channels: list[str]) -> float:
    async with ws_connect(url, max_queue=None, compression=None) as ws:
        for i, channel in enumerate(channels):
            await ws.send(
                json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "subscribe",
                        "params": {"channel": channel},
                        "id": i,
                    }
                )
            )
        await ws.recv()
        n, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < WINDOW_S:
            await ws.recv()
            n += 1
        return n / elapsed


async def _serve_pump() -> None:
    """A bare aiohttp server sending one fixed ~450-byte message as fast as it can; prints
    its URL, serves until stdin closes."""

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False)
        await ws.prepare(request)
        try:
            while not ws.closed:
                await ws.send_str(_SAMPLE)
        except ConnectionError:
            pass
        return ws

    app = web.Application()
    app.router.add_get("/v1", handler)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"ws://127.0.0.1:{runner.addresses[0][1]}/v1", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


@asynccontextmanager
async def _exchange_child() -> AsyncIterator[tuple[str, str]]:
    """The embedded exchange as the app runs it (a child process); yields its REST and
    WebSocket URLs."""
    exchange = DemoExchange(exchange_command(seed=1, rate=SUSTAINED_RATE))
    urls = await exchange.start()
    try:
        yield urls.rest, urls.ws
    finally:
        await exchange.stop()


async def bench_ws() -> None:
    sim: list[float] = []
    bare: list[float] = []
    for _ in range(REPEATS):
        async with _exchange_child() as (rest, ws):
            async with httpx.AsyncClient(base_url=rest) as http:
                markets = [m["symbol"] for m in (await http.get("/markets")).json()["results"]]
            channels = ["trades.ALL", "bbo.ALL", "markets_summary", "funding_data.ALL"]
            channels += [f"order_book.{m}.deltas" for m in markets]
            sim.append(await _count(ws, channels))
        with server_process("bench.bench_sim", "pump") as url:
            bare.append(await _count(url, []))
    emit_runs("sim_ws_msgs_per_s", sim, "msg/s", bare, paired=True)


def _signed_orders(n: int, price: str) -> tuple[signing.ParadexSigner, list[dict[str, object]]]:
    public_key = signing.public_key_from_private(PRIVATE_KEY)
    account = signing.account_address(public_key, PROXY_CLASS_HASH, ACCOUNT_CLASS_HASH)
    signer = signing.ParadexSigner(
        PRIVATE_KEY, account, signing.chain_id_from_name(DEFAULT_CHAIN_ID)
    )
    now = int(time.time() * 1000)
    orders = []
    for i in range(n):
        sig = signer.sign_order(
            market=MARKET,
            side="BUY",
            order_type="LIMIT",
            size=Decimal("0.001"),
            price=Decimal(price),
            timestamp_ms=now + i,
        )
        orders.append(
            {
                "market": MARKET,
                "side": "BUY",
                "type": "LIMIT",
                "size": "0.001",
                "price": price,
                "instruction": "IOC",
                "client_id": f"b{i}",
                "signature": signing.format_signature(sig),
                "signature_timestamp": now + i,
            }
        )
    return signer, orders


async def _login(http: httpx.AsyncClient, signer: signing.ParadexSigner) -> str:
    await http.post(
        "/onboarding",
        headers={
            "PARADEX-STARKNET-ACCOUNT": hex(signer.account),
            "PARADEX-STARKNET-SIGNATURE": signing.format_signature(signer.sign_onboarding()),
        },
        json={"public_key": hex(signer.public_key)},
    )
    ts = int(time.time())
    r = await http.post(
        "/auth",
        headers={
            "PARADEX-STARKNET-ACCOUNT": hex(signer.account),
            "PARADEX-STARKNET-SIGNATURE": signing.format_signature(signer.sign_auth(ts, ts + 3600)),
            "PARADEX-TIMESTAMP": str(ts),
            "PARADEX-SIGNATURE-EXPIRATION": str(ts + 3600),
        },
    )
    return str(r.json()["jwt_token"])


async def bench_orders() -> None:
    orders_rates: list[float] = []
    time_rates: list[float] = []
    for _ in range(REPEATS):
        orders_rate, time_rate = await _orders_once()
        orders_rates.append(orders_rate)
        time_rates.append(time_rate)
    emit_runs("sim_rest_orders_per_s", orders_rates, "orders/s", time_rates)


async def _orders_once() -> tuple[float, float]:
    """Signed orders per second, and /system/time calls per second, on a fresh exchange."""
    async with (
        run_exchange(seed=1, rate=200.0) as urls,
        httpx.AsyncClient(base_url=urls.rest) as http,
    ):
        best_bid = Decimal((await http.get(f"/orderbook/{MARKET}")).json()["bids"][0][0])
        price = str((best_bid * Decimal("0.99")).quantize(Decimal(1)))
        signer, orders = _signed_orders(600, price)
        auth = {"Authorization": f"Bearer {await _login(http, signer)}"}
        accepted, start = 0, time.perf_counter()
        for body in orders:
            r = await http.post("/orders", json=body, headers=auth)
            accepted += r.status_code == 201
            if time.perf_counter() - start > WINDOW_S:
                break
        orders_rate = accepted / (time.perf_counter() - start)
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < WINDOW_S:
            await http.get("/system/time")
            calls += 1
        time_rate = calls / (time.perf_counter() - start)
    return orders_rate, time_rate


def main() -> None:
    """Run both figures (`pump`: be the baseline's server)."""
    if sys.argv[1:] == ["pump"]:
        asyncio.run(_serve_pump())
        return
    asyncio.run(bench_ws())
    asyncio.run(bench_orders())


if __name__ == "__main__":
    main()
