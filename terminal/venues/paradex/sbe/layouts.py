"""Paradex SBE schema 1 (1:2): header, root-block layouts, enums (PROTOCOL.md §11.5.3–11.5.5).

Offsets are within the root block. A field exists in a frame only when its offset plus
size fits the frame's `blockLength`; that is the whole version rule for root fields.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

SCHEMA_ID = 1
SCHEMA_VERSION = 2
HEADER = struct.Struct("<HHHH")
GROUP_HEADER = struct.Struct("<HH")
BOOK_LEVEL = struct.Struct("<qq")
BOOK_LEVEL_BLOCK = BOOK_LEVEL.size
NULL_INT64 = -(2**63)
INT64_MAX = 2**63 - 1

TRADE, BBO, BOOK, MARKET_SUMMARY, FUNDING_DATA, FUNDING_RATE_COMPARISON = 1, 2, 3, 4, 5, 6
ORDER, FILL, POSITION, ACCOUNT = 20, 21, 22, 23
HEARTBEAT, SUBSCRIBED = 40, 41

PUBLIC_FAMILIES = {
    TRADE: "trades",
    BBO: "bbo",
    BOOK: "order_book",
    MARKET_SUMMARY: "markets_summary",
    FUNDING_DATA: "funding_data",
    FUNDING_RATE_COMPARISON: "funding_rate_comparison",
}
PRIVATE_FAMILIES = {ORDER: "orders", FILL: "fills", POSITION: "positions", ACCOUNT: "account"}
SYSTEM_TEMPLATES = frozenset({HEARTBEAT, SUBSCRIBED})


class Field(NamedTuple):
    """One fixed root-block field: `fmt` is a `struct` code; `scale` the decimal exponent."""

    name: str
    offset: int
    fmt: str
    scale: int = 0
    nullable: bool = False
    enum: dict[int, str] | None = None

    @property
    def size(self) -> int:
        """Bytes on the wire."""
        return struct.calcsize("<" + self.fmt)


SIDE = {1: "BUY", 2: "SELL"}
FILL_TYPE = {
    1: "FILL",
    2: "LIQUIDATION",
    3: "UNWIND_TRANSFER",
    4: "SETTLE_MARKET",
    5: "RPI",
    6: "BLOCK_TRADE",
}
PKG_TYPE = {0: "s", 1: "d"}
ASSET_KIND = {0: "UNSPECIFIED", 1: "PERPETUAL_FUTURE", 2: "OPTION", 3: "SPOT"}
FUNDING_RATE_SOURCE = {
    0: "UNSPECIFIED",
    1: "PARADEX",
    2: "BINANCE",
    3: "BYBIT",
    4: "OKX",
    5: "DERIBIT",
    6: "DERIVE",
    7: "HYPERLIQUID",
    8: "LIGHTER",
    9: "DATABENTO",
    10: "PUBLISHER",
    11: "PYTH",
    12: "STORK",
}


def _i64(name: str, offset: int) -> Field:
    return Field(name, offset, "q")


def _dec(name: str, offset: int, scale: int = 8, *, nullable: bool = False) -> Field:
    return Field(name, offset, "q", scale, nullable)


def _enum(name: str, offset: int, values: dict[int, str]) -> Field:
    return Field(name, offset, "B", enum=values)


GREEKS = ("delta", "gamma", "vega", "theta", "rho", "volga", "vanna")

LAYOUTS: dict[int, tuple[Field, ...]] = {
    TRADE: (
        _i64("ts", 0),
        _i64("seq", 8),
        _i64("tradeId", 16),
        _enum("side", 24, SIDE),
        _dec("price", 25),
        _dec("size", 33),
        _i64("createdAt", 41),
        _enum("tradeType", 49, FILL_TYPE),
    ),
    BBO: (
        _i64("ts", 0),
        _i64("seq", 8),
        _dec("bidPrice", 16, nullable=True),
        _dec("bidSize", 24, nullable=True),
        _dec("askPrice", 32, nullable=True),
        _dec("askSize", 40, nullable=True),
    ),
    BOOK: (
        _i64("ts", 0),
        _i64("seq", 8),
        _enum("pkgType", 16, PKG_TYPE),
        _dec("bestBidPrice", 17, nullable=True),
        _dec("bestBidSize", 25, nullable=True),
        _dec("bestAskPrice", 33, nullable=True),
        _dec("bestAskSize", 41, nullable=True),
        _dec("relativeSpread", 49, nullable=True),
        _dec("bestBidApiPrice", 57, nullable=True),
        _dec("bestBidApiSize", 65, nullable=True),
        _dec("bestAskApiPrice", 73, nullable=True),
        _dec("bestAskApiSize", 81, nullable=True),
    ),
    MARKET_SUMMARY: (
        _i64("ts", 0),
        _i64("seq", 8),
        _dec("markPrice", 16),
        _dec("indexPrice", 24),
        _dec("lastPrice", 32),
        _dec("volumeUsd24h", 40),
        _dec("openInterest", 48),
        _dec("fundingRate", 56),
        _dec("bid", 64, nullable=True),
        _dec("ask", 72, nullable=True),
        _dec("totalVolume", 80),
        _dec("priceChangeRate24h", 88),
        _dec("markIv", 96, nullable=True),
        _dec("bidIv", 104, nullable=True),
        _dec("askIv", 112, nullable=True),
        _dec("lastIv", 120, nullable=True),
        *(_dec(g, 128 + 8 * i, nullable=True) for i, g in enumerate(GREEKS)),
        _dec("futureFundingRate", 184, nullable=True),
        _dec("externalFairPrice", 192, nullable=True),
        _dec("bidSize", 200, nullable=True),
        _dec("askSize", 208, nullable=True),
        _dec("forwardRate", 216, nullable=True),
        _dec("riskFreeRate", 224, nullable=True),
        _dec("fundingRatePrecise", 232, 12, nullable=True),
    ),
    FUNDING_DATA: (
        _i64("ts", 0),
        _i64("seq", 8),
        _dec("fundingRate", 16),
        _dec("fundingIndex", 24),
        _i64("createdAt", 32),
        _dec("fundingPremium", 40),
        _dec("fundingRate8h", 48),
        Field("fundingPeriodHours", 56, "h"),
        _dec("impactPremiumRate", 58, nullable=True),
    ),
    FUNDING_RATE_COMPARISON: (
        _i64("ts", 0),
        _i64("lastUpdatedAt", 8),
        _dec("hourlyFundingRate", 16, 12),
        _enum("assetKind", 24, ASSET_KIND),
        _enum("source", 25, FUNDING_RATE_SOURCE),
    ),
}


# Layouts are packed without gaps, so one Struct reads or writes a complete block at once.
FULL_BLOCKS = {
    tid: struct.Struct("<" + "".join(f.fmt for f in fields)) for tid, fields in LAYOUTS.items()
}


def block_length(template_id: int, version: int) -> int:
    """The root-block length the encoder writes for a template at a negotiated version."""
    if template_id == MARKET_SUMMARY and version == 0:
        return 216
    if template_id == FUNDING_DATA and version == 0:
        return 58
    last = LAYOUTS[template_id][-1]
    return last.offset + last.size


def var_data_names(template_id: int, version: int) -> tuple[str, ...]:
    """The var-data fields, in wire order, that the encoder appends at a version."""
    if template_id == TRADE and version >= 2:
        return ("market", "tradeIdStr")
    return ("market",)
