"""The engine's markets as Kana lists them: ids, and scales in lots and ticks.

Each market gets Kana testnet's id for its asset (terminal/venues/kana/urls.py), so the
`kana` and `kana-demo` profiles ask for the same ids. Scales follow Econia: a lot is the
engine's size step, a tick its price tick, in 8 base and 6 quote decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from terminal.sim.engine import MarketSpec
from terminal.sim.engine.units import SCALE, fmt, parse_units

BASE_DECIMALS = 8
QUOTE_DECIMALS = 6
QUOTE_SCALE: int = 10**QUOTE_DECIMALS
MARKET_IDS = {"APT": "1338", "BTC": "1339", "ETH": "1340", "SOL": "2387"}
"""Kana testnet's market id of each asset."""


@dataclass(frozen=True, slots=True)
class Listing:
    """One engine market under its Kana id, with the integers to convert its numbers."""

    market_id: str
    spec: MarketSpec
    lot_size: int
    tick_size: int

    @classmethod
    def of(cls, market_id: str, spec: MarketSpec) -> Listing:
        """`spec` listed as `market_id`; its step and tick must be whole in Kana's units."""
        lot_size, lot_rest = divmod(spec.step * 10**BASE_DECIMALS, SCALE)
        # tick (quote per base) × lot (base) = quote per lot, in 10^-6 quote subunits
        tick_size, tick_rest = divmod(spec.tick * lot_size * QUOTE_SCALE, SCALE * SCALE)
        if lot_rest or tick_rest or not lot_size or not tick_size:
            raise ValueError(f"{spec.symbol}: step or tick not whole in Kana's units")
        return cls(market_id, spec, lot_size, tick_size)

    def info_json(self) -> dict[str, Any]:
        """The `getMarketInfo` row (Kana's REST docs)."""
        spec = self.spec
        return {
            "__variant__": "V1",
            "base_decimals": BASE_DECIMALS,
            "base_name": f"{spec.base}/USDC",
            "counter": "0",
            "lot_size": str(self.lot_size),
            "maintenance_margin": "250",
            "market_id": self.market_id,
            "max_leverage": "20",
            "max_lots": str(spec.max_order_size // spec.step),
            "min_lots": "1",
            "quote_decimals": QUOTE_DECIMALS,
            "quote_precision": len(fmt(spec.tick).partition(".")[2]),
            "tick_size": str(self.tick_size),
        }

    def ticks(self, price: str) -> int:
        """A decimal price (engine JSON) in whole ticks, rounded to the nearest."""
        whole, rest = divmod(parse_units(price), self.spec.tick)
        return whole + (2 * rest >= self.spec.tick)

    def lots(self, size: str) -> int:
        """A decimal size (engine JSON), unsigned, in lots."""
        return abs(parse_units(size)) // self.spec.step

    def subunits(self, amount: str) -> int:
        """A decimal quote amount in 10^-6 subunits."""
        return parse_units(amount) * QUOTE_SCALE // SCALE


def listings(markets: dict[str, MarketSpec]) -> dict[str, Listing]:
    """Every engine market that has a Kana id, by that id."""
    return {
        MARKET_IDS[spec.base]: Listing.of(MARKET_IDS[spec.base], spec)
        for spec in markets.values()
        if spec.base in MARKET_IDS
    }
