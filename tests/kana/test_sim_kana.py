"""The embedded exchange's Kana mode: its command line, `getMarketInfo`, its listings."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import httpx
import msgspec
import pytest

from terminal.sim.context import SimConfig
from terminal.sim.kana.listings import Listing
from terminal.sim.kana.server import KanaSimServer
from terminal.sim.server import ExchangeUrls
from terminal.venues.kana.markets import MarketInfoResponse
from terminal.venues.kana.units import MarketUnits


def test_listings_are_whole_in_lots_and_ticks() -> None:
    server = KanaSimServer(SimConfig(seed=1))
    btc = server.listings["1339"]
    assert (btc.lot_size, btc.tick_size) == (100_000, 100)
    for listing in server.listings.values():
        units = MarketUnits.of(
            base_decimals=8,
            quote_decimals=6,
            lot_size=listing.lot_size,
            tick_size=listing.tick_size,
        )
        # The client reads back exactly the engine's tick and step.
        assert units.tick_units == listing.spec.tick and units.lot_units == listing.spec.step


async def test_get_market_info_has_the_documented_shape(
    kana_sim: tuple[KanaSimServer, ExchangeUrls],
) -> None:
    _, urls = kana_sim
    async with httpx.AsyncClient(base_url=urls.rest) as client:
        listed = await client.get("/getMarketInfo", params={"marketId": "1340"})
        unknown = await client.get("/getMarketInfo", params={"marketId": "1"})
        missing = await client.get("/getMarketInfo")
    body = msgspec.json.decode(listed.content, type=MarketInfoResponse)
    assert body.ok and body.data is not None
    (info,) = body.data
    assert (info.market_id, info.base_name) == ("1340", "ETH/USDC")
    assert unknown.json()["data"] == [] and missing.status_code == 400


def test_the_command_line_serves_kana_on_loopback() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "terminal.sim", "--venue", "kana", "--port", "0", "--parent-watch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        line = json.loads(proc.stdout.readline())
        assert line["rest"].startswith("http://127.0.0.1:") and line["ws"].endswith("/ws")
        assert len(line["addresses"]) == 3
        answer = httpx.get(f"{line['rest']}/getMarketInfo", params={"marketId": "1339"})
        assert answer.json()["data"][0]["lot_size"] == "100000"
        proc.stdin.close()  # --parent-watch: it exits when its parent lets go
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_listing_refuses_a_step_finer_than_kana_can_hold() -> None:
    server = KanaSimServer(SimConfig(seed=1))
    spec = server.listings["1339"].spec
    fine = dataclasses.replace(spec, step=1)  # 10^-8 base: fine; tick then 10^-3 subunits
    with pytest.raises(ValueError):
        Listing.of("9", fine)
