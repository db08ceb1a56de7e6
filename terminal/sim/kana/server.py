"""The Kana-compatible exchange: `getMarketInfo` and the indexer's WebSocket on one loopback
port, fed by the synthetic market engine and a few watched traders.

    server = KanaSimServer(SimConfig(seed=1))
    urls = await server.start()     # rest "http://127.0.0.1:P", ws "ws://127.0.0.1:P/ws"
    server.addresses                # the watched traders' addresses
    await server.drop_connections() # a fault for tests: close every WebSocket
    await server.stop()

Replies follow the seed: after `{"topic": t, "market_id"|"address": k}` the topic's rows
arrive at once and then whenever they change (checked every `publish_ms`), each reply the
whole current list. Not modelled: Kana's API key, errors for bad requests (they are
ignored), and the fault knobs of the Paradex mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from terminal.sim.context import SimConfig
from terminal.sim.engine import SimVenue
from terminal.sim.kana import rows
from terminal.sim.kana.listings import Listing, listings
from terminal.sim.kana.traders import WatchedTraders
from terminal.sim.server import ExchangeUrls, require_loopback

log = logging.getLogger(__name__)

PUBLISH_MS = 100
ADDRESS_TOPICS = ("positions", "trade_history", "open_orders", "order_history")
Sub = tuple[str, str]
"""(topic, market id or address)."""


@dataclass(eq=False)
class _Client:
    ws: web.WebSocketResponse
    subs: list[Sub] = field(default_factory=list)
    last: dict[Sub, str] = field(default_factory=dict)


class KanaSimServer:
    """A running Kana-compatible exchange."""

    def __init__(
        self,
        config: SimConfig,
        *,
        clock: Callable[[], float] = time.time,
        publish_ms: int = PUBLISH_MS,
    ) -> None:
        self._clock = clock
        self._config = config
        self._publish_ms = publish_ms
        start_ms = self._now_ms()
        # No candle history: Kana serves no candles, and seeding it costs start-up time.
        self.venue = SimVenue(
            seed=config.seed,
            scenario=config.scenario,
            start_ms=start_ms,
            rate=config.rate,
            history_days=0,
        )
        self.listings: dict[str, Listing] = listings(dict(self.venue.markets))
        self._by_symbol = {listing.spec.symbol: listing for listing in self.listings.values()}
        self.traders = WatchedTraders(self.venue, config.seed, start_ms)
        self._accounts = {rows.address_of(a): a for a in self.traders.accounts}
        self._clients: set[_Client] = set()
        self.app = web.Application()
        self.app.router.add_get("/getMarketInfo", self._market_info)
        self.app.router.add_get("/_sim/addresses", self._addresses)
        self.app.router.add_get("/ws", self._websocket)
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None

    @property
    def addresses(self) -> list[str]:
        """The watched traders' addresses (one per market)."""
        return list(self._accounts)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> ExchangeUrls:
        """Listen on host:port (0 = any free port) and start the market."""
        require_loopback(host)
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        hostport = (
            f"[{bound_host}]:{bound_port}" if ":" in bound_host else f"{bound_host}:{bound_port}"
        )
        self._ticker = asyncio.create_task(self._tick_loop(), name="kana-sim-ticker")
        return ExchangeUrls(rest=f"http://{hostport}", ws=f"ws://{hostport}/ws")

    async def stop(self) -> None:
        """Stop the market, close every connection, release the port."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self.drop_connections()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def connections(self) -> int:
        """How many WebSocket clients are connected now."""
        return len(self._clients)

    async def drop_connections(self) -> None:
        """Close every WebSocket (the clients reconnect and subscribe again)."""
        for client in list(self._clients):
            await client.ws.close(code=1012, message=b"restarting")

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # -- REST ---------------------------------------------------------------------------

    async def _market_info(self, request: web.Request) -> web.Response:
        market_id = request.query.get("marketId")
        if not market_id:
            return web.json_response(
                {"success": False, "message": "marketId is required"}, status=400
            )
        listing = self.listings.get(market_id)
        return web.json_response(
            {
                "success": True,
                "message": "Market information fetched successfully",
                "data": [listing.info_json()] if listing is not None else [],
            }
        )

    async def _addresses(self, request: web.Request) -> web.Response:
        return web.json_response(self.addresses)

    # -- WebSocket ----------------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=self._config.ping_interval_s)
        await ws.prepare(request)
        client = _Client(ws)
        self._clients.add(client)
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    sub = _parse_subscription(message.data)
                    if sub is not None and sub not in client.subs and self._known(sub):
                        client.subs.append(sub)
                        await self._send(client, sub, {})
        finally:
            self._clients.discard(client)
        return ws

    def _known(self, sub: Sub) -> bool:
        topic, key = sub
        return key in (self.listings if topic == "orderbook" else self._accounts)

    def _rows(self, sub: Sub) -> list[dict[str, Any]]:
        topic, key = sub
        venue = self.venue
        if topic == "orderbook":
            return rows.book_rows(venue, self.listings[key], self._now_ms())
        render = {
            "positions": rows.position_rows,
            "trade_history": rows.trade_rows,
            "open_orders": rows.open_order_rows,
            "order_history": rows.order_history_rows,
        }[topic]
        return render(venue, self._accounts[key], self._by_symbol)

    async def _send(self, client: _Client, sub: Sub, rendered: dict[Sub, str]) -> None:
        """Send `sub`'s rows to `client` unless they are what it last got."""
        body = rendered.get(sub)
        if body is None:
            body = rendered[sub] = json.dumps(
                {"data": self._rows(sub), "message": sub[0]}, separators=(",", ":")
            )
        if client.last.get(sub) == body:
            return
        client.last[sub] = body
        try:
            await client.ws.send_str(body)
        except (ConnectionError, RuntimeError):
            self._clients.discard(client)  # closing: its handler ends by itself

    async def _publish(self) -> None:
        rendered: dict[Sub, str] = {}  # each reply rendered once however many clients
        for client in list(self._clients):
            for sub in list(client.subs):
                await self._send(client, sub, rendered)

    async def _tick_loop(self) -> None:
        period = self._config.tick_ms / 1000
        next_publish = 0
        while True:
            now_ms = self._now_ms()
            try:
                self.venue.advance(now_ms)
                self.traders.advance(now_ms)
                if now_ms >= next_publish:
                    next_publish = now_ms + self._publish_ms
                    await self._publish()
            except Exception:
                # A failing step must not stop the market; it is logged and the next one runs.
                log.exception("Kana market tick failed")
            await asyncio.sleep(period)


def _parse_subscription(text: str) -> Sub | None:
    """(topic, key) of a subscribe message, or None for anything else."""
    try:
        message = json.loads(text)
    except ValueError:
        return None
    if not isinstance(message, dict):
        return None
    topic = message.get("topic")
    key = message.get("market_id" if topic == "orderbook" else "address")
    if topic not in ("orderbook", *ADDRESS_TOPICS) or not isinstance(key, str):
        return None
    return topic, key
