"""Public REST endpoints: system (§8.1) and market data (§8.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from terminal.sim.book_views import grouped_orderbook
from terminal.sim.context import ACCOUNT_CLASS_HASH, PROXY_CLASS_HASH, SimContext
from terminal.sim.engine.errors import VenueError
from terminal.sim.rest_common import (
    context,
    known_market,
    ok,
    paginate,
    query_int,
    query_market,
    required_market,
    results,
    time_window,
)
from terminal.sim.ws_channels import PRICE_TICKS

ORDERBOOK_MAX_DEPTH = 500
_ZERO_ADDRESS = "0x0"

routes = web.RouteTableDef()


def system_config(ctx: SimContext, base_url: str) -> dict[str, Any]:
    """`/system/config`, with every field paradex-py requires (§8.1)."""
    usdc = {
        "name": "USD Coin",
        "symbol": "USDC",
        "decimals": 6,
        "l1_token_address": _ZERO_ADDRESS,
        "l1_bridge_address": _ZERO_ADDRESS,
        "l2_token_address": _ZERO_ADDRESS,
        "l2_bridge_address": _ZERO_ADDRESS,
    }
    return {
        "starknet_chain_id": ctx.config.chain_id,
        "l1_chain_id": "11155111",
        "paraclear_account_hash": hex(ACCOUNT_CLASS_HASH),
        "paraclear_account_proxy_hash": hex(PROXY_CLASS_HASH),
        "paraclear_evm_account_hash": _ZERO_ADDRESS,
        "paraclear_address": _ZERO_ADDRESS,
        "paraclear_decimals": 8,
        "bridged_tokens": [usdc],
        "starknet_fullnode_rpc_url": f"{base_url}/rpc/v0_7",
        "starknet_fullnode_rpc_base_url": f"{base_url}/rpc",
        "starknet_gateway_url": "",
        "block_explorer_url": f"{base_url}/explorer",
        "oracle_address": _ZERO_ADDRESS,
        "l1_core_contract_address": _ZERO_ADDRESS,
        "l1_operator_address": _ZERO_ADDRESS,
        "liquidation_fee": "0.2",
        "environment": "sim",
        "partial_liquidation_buffer": "0.2",
        "partial_liquidation_share_increment": "0.05",
        "universal_deployer_address": _ZERO_ADDRESS,
        "assets_limit_per_account": 100,
    }


@routes.get("/v1/system/config")
async def get_config(request: web.Request) -> web.Response:
    """System configuration: chain id and account class hashes."""
    base = f"{request.scheme}://{request.host}"
    return ok(system_config(context(request), base))


@routes.get("/v1/system/time")
async def get_time(request: web.Request) -> web.Response:
    """Server time in ms, as a string."""
    return ok({"server_time": str(context(request).now_ms())})


@routes.get("/v1/system/state")
async def get_state(request: web.Request) -> web.Response:
    """Exchange status."""
    return ok({"status": "ok"})


@routes.get("/v1/markets")
async def get_markets(request: web.Request) -> web.Response:
    """Market specs (`MarketResp`), optionally one market."""
    market = query_market(request)
    return results(context(request).venue.public.markets_json(market))


@routes.get("/v1/markets/summary")
async def get_summaries(request: web.Request) -> web.Response:
    """Market summaries; `market` is required (`ALL` for every market)."""
    market = request.query.get("market")
    if not market:
        raise VenueError("INVALID_REQUEST_PARAMETER", "market is required (or ALL)")
    if market != "ALL":
        known_market(request, market)
    return results(context(request).venue.public.summaries_json(market))


@routes.get("/v1/markets/klines")
async def get_klines(request: web.Request) -> web.Response:
    """OHLCV candles as JSON numbers."""
    market = required_market(request, "symbol")
    resolution = query_int(request, "resolution")  # the venue checks it is one it serves
    start_at = query_int(request, "start_at")
    end_at = query_int(request, "end_at")
    return results(context(request).venue.public.klines(market, resolution, start_at, end_at))


def _orderbook(request: web.Request) -> dict[str, Any]:
    market = known_market(request, request.match_info["market"])
    depth = query_int(request, "depth", 20, low=1, high=ORDERBOOK_MAX_DEPTH)
    tick = request.query.get("price_tick")
    if not tick:
        return context(request).venue.public.orderbook_json(market, depth)
    if tick not in PRICE_TICKS:
        raise VenueError("INVALID_REQUEST_PARAMETER", f"unsupported price_tick {tick!r}")
    full = context(request).venue.public.orderbook_json(market, ORDERBOOK_MAX_DEPTH)
    return grouped_orderbook(full, Decimal(tick.replace("_", ".")), depth)


@routes.get("/v1/orderbook/{market}")
async def get_orderbook(request: web.Request) -> web.Response:
    """The book's top `depth` levels; its seq_no shares the deltas sequence."""
    return ok(_orderbook(request))


@routes.get("/v1/orderbook/{market}/interactive")
async def get_orderbook_interactive(request: web.Request) -> web.Response:
    """Same as the API book (the simulator has no RPI liquidity)."""
    return ok(_orderbook(request))


@routes.get("/v1/bbo/{market}")
@routes.get("/v1/bbo/{market}/interactive")
async def get_bbo(request: web.Request) -> web.Response:
    """Best bid and offer (the interactive one is the same: the simulator has no RPI)."""
    market = known_market(request, request.match_info["market"])
    return ok(context(request).venue.public.bbo_json(market))


@routes.get("/v1/trades")
async def get_trades(request: web.Request) -> web.Response:
    """Recent public trades, newest first, paginated."""
    market = required_market(request)
    start_at, end_at = time_window(request)
    items = context(request).venue.public.trades_json(market, start_at, end_at, 10_000)
    return paginate(request, items)


@routes.get("/v1/funding/data")
async def get_funding_data(request: web.Request) -> web.Response:
    """Funding data history, paginated."""
    market = required_market(request)
    start_at, end_at = time_window(request)
    items = context(request).venue.public.funding_data_json(market, start_at, end_at)
    return paginate(request, items)


@routes.get("/v1/insurance")
async def get_insurance(request: web.Request) -> web.Response:
    """The insurance fund: the account that takes over liquidated positions."""
    return ok(context(request).venue.public.insurance_json())
