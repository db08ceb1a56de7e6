"""The listed perpetual markets: static specs in integer units, and their `MarketResp` JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from terminal.sim.engine.units import SCALE, fmt, parse_units


@dataclass(frozen=True, slots=True)
class MarginTier:
    """Initial/maintenance margin fractions (units) up to a position notional (units)."""

    max_notional: int
    imf: int
    mmf: int


@dataclass(frozen=True, slots=True)
class MarketProfile:
    """How the synthetic market behaves: the maker's quoting and the market's size.

    Tick counts are in the market's price ticks; USD amounts are plain integers.
    """

    half_spread_ticks: int  # inner quotes sit this far from the fair price
    level_gap_ticks: int  # deeper levels sit on a grid this coarse
    top_notional_usd: int  # size at the inner level; deeper levels grow from it
    open_interest_usd: int  # open interest already standing when the venue starts
    funding_basis: int  # the mark's usual premium over the index, in units (a funding rate)


DEFAULT_PROFILE = MarketProfile(2, 5, 20_000, 100_000_000, 0)


@dataclass(frozen=True, slots=True)
class MarketSpec:
    """One perpetual market; prices, sizes, notionals and fractions in units (× 10^8)."""

    symbol: str
    base: str
    tick: int
    step: int
    min_notional: int
    max_order_size: int
    position_limit: int
    max_open_orders: int
    price_bands_width: int
    max_slippage: int
    funding_period_hours: int
    max_funding_rate: int
    start_price: int
    maker_fee: int
    taker_fee: int
    tiers: tuple[MarginTier, ...]
    price_feed_id: str
    profile: MarketProfile = DEFAULT_PROFILE

    def margin_fractions(self, notional: int) -> tuple[int, int]:
        """(IMF, MMF) for a position of this notional, from the leverage table."""
        for tier in self.tiers:
            if notional <= tier.max_notional:
                return tier.imf, tier.mmf
        last = self.tiers[-1]
        return last.imf, last.mmf

    def to_json(self, open_at: int) -> dict[str, Any]:
        """The §8.2 `MarketResp`."""
        first = self.tiers[0]
        return {
            "symbol": self.symbol,
            "base_currency": self.base,
            "quote_currency": "USD",
            "settlement_currency": "USDC",
            "asset_kind": "PERP",
            "market_kind": "cross",
            "trading_mode": "STANDARD",
            "order_size_increment": fmt(self.step),
            "price_tick_size": fmt(self.tick),
            "min_notional": fmt(self.min_notional),
            "max_order_size": fmt(self.max_order_size),
            "position_limit": fmt(self.position_limit),
            "max_open_orders": self.max_open_orders,
            "price_bands_width": fmt(self.price_bands_width),
            "max_slippage": fmt(self.max_slippage),
            "open_at": open_at,
            "expiry_at": 0,
            "funding_period_hours": self.funding_period_hours,
            "funding_multiplier": 1,
            "max_funding_rate": fmt(self.max_funding_rate),
            "max_funding_rate_change": "0.0005",
            "interest_rate": "0.0001",
            "clamp_rate": "0.0005",
            "oracle_ewma_factor": "0.2",
            "price_feed_id": self.price_feed_id,
            "delta1_cross_margin_params": {
                "imf_base": fmt(first.imf),
                "imf_factor": "0",
                "imf_shift": "0",
                "mmf_factor": fmt(first.mmf * SCALE // first.imf),
            },
            "fee_config": {
                "api_fee": {
                    "maker_fee": {"fee": fmt(self.maker_fee)},
                    "taker_fee": {"fee": fmt(self.taker_fee)},
                },
            },
            "tags": [],
        }


def _u(text: str) -> int:
    return parse_units(text)


def _tiers(*rows: tuple[str, str]) -> tuple[MarginTier, ...]:
    """Tiers from (max notional, IMF); MMF is half the IMF, as on Paradex's defaults."""
    return tuple(MarginTier(_u(cap), _u(imf), _u(imf) // 2) for cap, imf in rows)


def _spec(
    symbol: str,
    tick: str,
    step: str,
    max_size: str,
    limit: str,
    start: str,
    tiers: tuple[MarginTier, ...],
    feed: str,
    profile: MarketProfile,
) -> MarketSpec:
    return MarketSpec(
        symbol=symbol,
        base=symbol.split("-")[0],
        tick=_u(tick),
        step=_u(step),
        min_notional=_u("10"),
        max_order_size=_u(max_size),
        position_limit=_u(limit),
        max_open_orders=100,
        price_bands_width=_u("0.05"),
        max_slippage=_u("0.03"),
        funding_period_hours=8,
        max_funding_rate=_u("0.05"),
        start_price=_u(start),
        maker_fee=_u("0.0002"),
        taker_fee=_u("0.0005"),
        tiers=tiers,
        price_feed_id=feed,
        profile=profile,
    )


_BIG = "1000000000000"

DEFAULT_MARKETS: tuple[MarketSpec, ...] = (
    _spec(
        "BTC-USD-PERP",
        "0.1",
        "0.001",
        "100",
        "500",
        "67600",
        _tiers(("5000000", "0.02"), ("20000000", "0.04"), (_BIG, "0.1")),
        "BTC/USD",
        # a major: a tick-tight inside (≈ 0.1 bp), levels every 0.5, deep
        MarketProfile(5, 10, 60_000, 640_000_000, _u("0.000085")),
    ),
    _spec(
        "ETH-USD-PERP",
        "0.01",
        "0.01",
        "1000",
        "5000",
        "3450",
        _tiers(("2000000", "0.03"), ("10000000", "0.05"), (_BIG, "0.1")),
        "ETH/USD",
        MarketProfile(3, 6, 40_000, 310_000_000, _u("0.00012")),
    ),
    _spec(
        "SOL-USD-PERP",
        "0.001",
        "0.1",
        "50000",
        "250000",
        "172.5",
        _tiers(("500000", "0.05"), ("2000000", "0.1"), (_BIG, "0.2")),
        "SOL/USD",
        # thinner and wider, and shorts paying longs
        MarketProfile(5, 4, 15_000, 88_000_000, -_u("0.00006")),
    ),
)
