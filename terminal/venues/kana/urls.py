"""Kana Labs perps environments: the indexer's WebSocket, the REST API, the listed markets.

The indexer URL is the seed's (seeds/004); the REST base and the market ids are from
Kana's docs (testnet). `getMarketInfo` answers one id at a time and no call lists the
markets, so an environment names its market ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KanaEnvironment:
    """One Kana deployment: indexer WebSocket, REST base and the market ids to load."""

    name: str
    rest_url: str
    ws_url: str
    market_ids: tuple[str, ...]


TESTNET = KanaEnvironment(
    "testnet",
    rest_url="https://perps-tradeapi.kanalabs.io",
    ws_url="wss://perpetuals-indexer-ws.kanalabs.io/ws",
    # APT-USD, BTC-USD, ETH-USD, SOL-USD
    market_ids=("1338", "1339", "1340", "2387"),
)
