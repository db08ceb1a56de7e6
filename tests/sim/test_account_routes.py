"""The §8 routes that answered 404 before: shapes as PROTOCOL.md / the seeds give them, with
the engine's own content (the deposit, fills, a liquidation), and /trades history at once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from terminal.sim.context import SimConfig
from terminal.sim.engine import SimVenue
from terminal.sim.server import SimServer

MARKET = "BTC-USD-PERP"
EVERYTHING = {"start_at": 0, "end_at": 2**62}
TRANSFER_KEYS = {
    "account",
    "amount",
    "created_at",
    "id",
    "kind",
    "last_updated_at",
    "socialized_loss_factor",
    "status",
    "token",
    "txn_hash",
    "txn_hash_l1",
}
TRANSACTION_KEYS = {"id", "hash", "type", "state", "created_at", "completed_at"}
PAGE_KEYS = {"next", "prev", "results"}
PRIVATE_ROUTES = (
    "/account/profile",
    "/account/subaccounts",
    "/transactions",
    "/transfers",
    "/tradebusts",
    "/liquidations",
)


@pytest.fixture
async def still() -> AsyncIterator[tuple[httpx.AsyncClient, SimVenue]]:
    """An exchange with empty books and a still mark (BTC 67600), for exact positions."""
    venue = SimVenue(start_ms=int(time.time() * 1000), history_days=0.01, synthetic=False)
    server = SimServer(SimConfig(seed=2), venue=venue)
    urls = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=urls.rest, timeout=10) as client:
            yield client, venue
    finally:
        await server.stop()


@pytest.mark.parametrize("path", PRIVATE_ROUTES)
async def test_private_routes_need_a_jwt(http: httpx.AsyncClient, path: str) -> None:
    r = await http.get(path)
    assert (r.status_code, r.json()["error"]) == (401, "INVALID_TOKEN")


async def test_insurance_is_public_with_the_seed_shape(http: httpx.AsyncClient) -> None:
    r = await http.get("/insurance")
    assert r.status_code == 200
    fund = r.json()
    assert set(fund) == {"account", "account_value", "settlement_asset", "updated_at"}
    assert fund["account"].startswith("0x") and fund["settlement_asset"] == "USDC"
    assert Decimal(fund["account_value"]) > 0 and isinstance(fund["updated_at"], int)


async def test_profile_subaccounts_and_tradebusts(http: httpx.AsyncClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    profile = (await http.get("/account/profile", headers=auth)).json()
    assert profile == {"username": "", "is_username_private": True}
    assert (await http.get("/account/subaccounts", headers=auth)).json() == {"results": []}
    busts = (await http.get("/tradebusts", headers=auth)).json()
    assert busts == {"next": None, "prev": None, "results": []}
    bad = await http.get("/tradebusts", params={"start_at": "²"}, headers=auth)
    assert (bad.status_code, bad.json()["error"]) == (400, "INVALID_REQUEST_PARAMETER")


async def test_transfers_hold_the_onboarding_deposit(
    http: httpx.AsyncClient, token: str, trader: Any
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    page = (await http.get("/transfers", params=EVERYTHING, headers=auth)).json()
    assert set(page) == PAGE_KEYS
    [deposit] = page["results"]
    assert set(deposit) == TRANSFER_KEYS
    assert (deposit["kind"], deposit["status"], deposit["token"]) == (
        "DEPOSIT",
        "COMPLETED",
        "USDC",
    )
    assert Decimal(deposit["amount"]) == 100_000 and int(deposit["account"], 16) == trader.account
    completed = await http.get("/transfers", params={"status": "COMPLETED"}, headers=auth)
    assert completed.json()["results"] == [deposit]
    pending = await http.get("/transfers", params={"status": "PENDING"}, headers=auth)
    assert pending.json()["results"] == []
    bad = await http.get("/transfers", params={"status": "LOST"}, headers=auth)
    assert (bad.status_code, bad.json()["error"]) == (400, "INVALID_REQUEST_PARAMETER")


async def test_a_liquidation_shows_in_liquidations_and_transactions(
    still: tuple[httpx.AsyncClient, SimVenue], trader: Any
) -> None:
    http, venue = still
    auth = {"Authorization": f"Bearer {await trader.login(http)}"}
    bob = 0xB0B
    venue.onboard(bob, bob + 1)
    ts = int(time.time() * 1000)
    # the counterparty and the long are placed inside the engine: only the reads are under test
    maker = {"market": MARKET, "side": "SELL", "type": "LIMIT", "size": "50", "price": "67600"}
    venue.create_order(bob, {**maker, "signature_timestamp": ts})
    venue.create_order(trader.account, {**maker, "side": "BUY", "signature_timestamp": ts})
    assert (await http.get("/liquidations", headers=auth)).json() == {"results": []}
    position = (await http.get("/positions", headers=auth)).json()["results"][0]
    fund_before = (await http.get("/insurance")).json()
    venue.set_mark(MARKET, str(Decimal(position["liquidation_price"]) - 20))

    [liquidation] = (await http.get("/liquidations", headers=auth)).json()["results"]
    assert set(liquidation) == {"id", "created_at"} and liquidation["id"].startswith("0x")
    window = {"from": liquidation["created_at"], "to": liquidation["created_at"]}
    assert (await http.get("/liquidations", params=window, headers=auth)).json()["results"]
    window = {"from": liquidation["created_at"] + 1}
    assert not (await http.get("/liquidations", params=window, headers=auth)).json()["results"]

    page = (await http.get("/transactions", params=EVERYTHING, headers=auth)).json()
    assert set(page) == PAGE_KEYS
    assert all(set(t) == TRANSACTION_KEYS for t in page["results"])
    kinds = [(t["type"], t["state"]) for t in page["results"]]
    assert kinds == [
        ("TRANSACTION_LIQUIDATE", "ACCEPTED_ON_L2"),
        ("TRANSACTION_FILL", "ACCEPTED_ON_L2"),
    ]
    assert page["results"][0]["hash"] == liquidation["id"]
    fills = (await http.get("/fills", params=EVERYTHING, headers=auth)).json()["results"]
    assert page["results"][1]["id"] == fills[-1]["id"]  # the opening fill

    fund_after = (await http.get("/insurance")).json()
    assert fund_after["updated_at"] > fund_before["updated_at"]  # it took the position over


async def test_trades_have_history_from_the_first_request(
    exchange: Any, http: httpx.AsyncClient
) -> None:
    start_minute = exchange.ctx.venue.start_ms // 60_000 * 60_000
    params = {"market": MARKET, "end_at": start_minute - 1, "page_size": 100}
    page = (await http.get("/trades", params=params)).json()
    assert len(page["results"]) == 100 and page["next"] is not None
    minute = page["results"][10]["created_at"] // 60_000 * 60_000
    in_minute = [t for t in page["results"] if t["created_at"] // 60_000 * 60_000 == minute]
    in_minute.reverse()  # oldest first
    kline_params = {
        "symbol": MARKET,
        "resolution": 1,
        "start_at": minute,
        "end_at": minute,
    }
    [bar] = (await http.get("/markets/klines", params=kline_params)).json()["results"]
    prices = [Decimal(t["price"]) for t in in_minute]
    volume = sum(Decimal(t["size"]) for t in in_minute)
    expected = [minute, prices[0], max(prices), min(prices), prices[-1], volume]
    assert [bar[0], *(Decimal(repr(v)) for v in bar[1:])] == expected
    second = (await http.get("/trades", params={**params, "cursor": page["next"]})).json()
    assert second["results"][0]["created_at"] <= page["results"][-1]["created_at"]
