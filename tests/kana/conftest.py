"""Kana fixtures: the seed's example messages and the documented APT market."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.venues.kana.markets import KanaMarket, MarketInfo

DATA = Path(__file__).parent / "data"
SEED_MESSAGES = (DATA / "seed_messages.txt").read_text().splitlines()
"""The seed's `Received message:` lines, verbatim, in the seed's order."""
SEED_REQUESTS = (DATA / "seed_requests.txt").read_text().splitlines()
"""The seed's `Sent subscription request:` lines, verbatim."""
ADDRESS = "0x4d6dc68e391e86991e58ab4d548b7e92872430d1f51bc666fe0c206bad7ff770"


def apt_info(market_id: str = "396") -> MarketInfo:
    """Kana's documented APT/USDC market (getMarketInfo?marketId=501) under another id."""
    return MarketInfo(
        market_id=market_id,
        base_name="APT/USDC",
        base_decimals=8,
        quote_decimals=6,
        lot_size="100000",
        tick_size="1",
        min_lots="500",
        max_lots="150000000",
        max_leverage="20",
        maintenance_margin="250",
        quote_precision=3,
    )


@pytest.fixture
def apt() -> KanaMarket:
    """The seed's market 396, with the documented APT market's scales."""
    return apt_info().to_domain()
