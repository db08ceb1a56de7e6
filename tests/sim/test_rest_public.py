"""Public REST conformance (§8.1, §8.2), with raw httpx."""

from __future__ import annotations

import time

import httpx

from terminal.sim.context import ACCOUNT_CLASS_HASH, PROXY_CLASS_HASH

SDK_REQUIRED = (
    "starknet_fullnode_rpc_url",
    "starknet_chain_id",
    "block_explorer_url",
    "paraclear_address",
    "paraclear_decimals",
    "paraclear_account_proxy_hash",
    "paraclear_account_hash",
    "oracle_address",
    "bridged_tokens",
    "l1_core_contract_address",
    "l1_operator_address",
    "l1_chain_id",
    "liquidation_fee",
)


async def test_system_config_has_every_field_the_sdk_requires(http: httpx.AsyncClient) -> None:
    r = await http.get("/system/config")
    assert r.status_code == 200
    config = r.json()
    assert all(key in config for key in SDK_REQUIRED)
    assert len(config["starknet_chain_id"]) <= 31
    assert int(config["paraclear_account_proxy_hash"], 16) == PROXY_CLASS_HASH
    assert int(config["paraclear_account_hash"], 16) == ACCOUNT_CLASS_HASH
    usdc = [t for t in config["bridged_tokens"] if t["symbol"] == "USDC"]
    assert len(usdc) == 1 and len(usdc[0]) == 7


async def test_time_is_a_string_of_ms_and_state_ok(http: httpx.AsyncClient) -> None:
    before = int(time.time() * 1000)
    server_time = (await http.get("/system/time")).json()["server_time"]
    assert isinstance(server_time, str) and int(server_time) >= before
    assert (await http.get("/system/state")).json() == {"status": "ok"}


async def test_markets_summary_and_book(http: httpx.AsyncClient) -> None:
    markets = (await http.get("/markets")).json()["results"]
    symbol = markets[0]["symbol"]
    one = (await http.get("/markets", params={"market": symbol})).json()["results"]
    assert [m["symbol"] for m in one] == [symbol]
    summaries = (await http.get("/markets/summary", params={"market": "ALL"})).json()["results"]
    assert {s["symbol"] for s in summaries} == {m["symbol"] for m in markets}
    book = (await http.get(f"/orderbook/{symbol}", params={"depth": 5})).json()
    assert book["market"] == symbol and isinstance(book["seq_no"], int)
    assert len(book["bids"]) <= 5 and len(book["asks"]) <= 5
    bbo = (await http.get(f"/bbo/{symbol}")).json()
    assert bbo["market"] == symbol


async def test_unknown_market_is_an_api_error(http: httpx.AsyncClient) -> None:
    r = await http.get("/orderbook/NOPE-USD-PERP")
    assert r.status_code == 404
    assert r.json()["error"] == "MARKET_NOT_FOUND"


async def test_klines_validate_resolution(http: httpx.AsyncClient) -> None:
    now = int(time.time() * 1000)
    params = {"symbol": "BTC-USD-PERP", "start_at": now - 3_600_000, "end_at": now}
    bad = await http.get("/markets/klines", params={**params, "resolution": 2})
    assert bad.status_code == 400
    assert bad.json()["error"] == "INVALID_REQUEST_PARAMETER"
    good = await http.get("/markets/klines", params={**params, "resolution": 5})
    assert good.status_code == 200
    rows = good.json()["results"]
    assert rows and all(len(row) == 6 for row in rows)
    assert all(isinstance(v, int | float) for v in rows[0])


async def test_trades_are_paginated(http: httpx.AsyncClient) -> None:
    r = await http.get("/trades", params={"market": "BTC-USD-PERP", "page_size": 2})
    assert r.status_code == 200
    page = r.json()
    assert set(page) == {"next", "prev", "results"}
    assert len(page["results"]) <= 2
    if page["next"] is not None:
        nxt = await http.get(
            "/trades", params={"market": "BTC-USD-PERP", "page_size": 2, "cursor": page["next"]}
        )
        assert nxt.json()["prev"] is not None


async def test_rate_limit_headers_on_responses(http: httpx.AsyncClient) -> None:
    r = await http.get("/system/time")
    assert int(r.headers["x-ratelimit-limit"]) > 0
    assert "x-ratelimit-reset" in r.headers


async def test_orderbook_price_tick_groups_levels(http: httpx.AsyncClient) -> None:
    r = await http.get("/orderbook/BTC-USD-PERP", params={"depth": 5, "price_tick": "10"})
    assert r.status_code == 200
    book = r.json()
    assert 0 < len(book["bids"]) <= 5
    prices = [int(p) for p, _ in book["bids"]]
    assert all(p % 10 == 0 for p in prices) and prices == sorted(prices, reverse=True)
    bad = await http.get("/orderbook/BTC-USD-PERP", params={"price_tick": "0_3"})
    assert bad.status_code == 400


async def test_interactive_bbo_is_served_like_the_api_bbo(http: httpx.AsyncClient) -> None:
    r = await http.get("/bbo/BTC-USD-PERP/interactive")
    assert r.status_code == 200
    assert set(r.json()) == {
        "market",
        "bid",
        "bid_size",
        "ask",
        "ask_size",
        "last_updated_at",
        "seq_no",
    }
    assert (await http.get("/bbo/NOPE-USD-PERP/interactive")).status_code == 404
