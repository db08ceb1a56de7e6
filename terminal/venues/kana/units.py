"""Kana's integers in human units, exactly: prices in ticks, sizes in lots, money in subunits.

Kana (Econia's order book) counts a size in lots of `lot_size` base subunits and a price in
ticks of `tick_size` quote subunits *per lot*. So one lot is `lot_size / 10^base_decimals`
base, and one tick is `tick_size · 10^base_decimals / (lot_size · 10^quote_decimals)` quote
per base. The seed agrees: at 6050 ticks × 1000 lots a position is worth "6050000" quote
subunits, i.e. 1 APT at 6.05 USDC with the documented APT market (lot 100000, tick 1,
decimals 8 and 6).

Everything here is exact or raises: `Decimal` arithmetic runs in a context that traps
rounding, and a market whose tick is not a finite decimal of at most 8 places is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation, Rounded

from terminal.domain.units import DECIMALS, PrecisionError, units_from_decimal
from terminal.venues.kana.errors import KanaDecodeError, UnrepresentableMarket

# Wide enough for any product of two wire numbers; Inexact/Rounded make a lost digit raise.
_EXACT = Context(prec=100, traps=[Inexact, Rounded, InvalidOperation])
_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def parse_count(text: str) -> int:
    """A non-negative integer as the indexer writes it ("6036"); `KanaDecodeError` if not."""
    if not _INTEGER.fullmatch(text):
        raise KanaDecodeError("DECODE", f"not a whole number: {text!r}")
    return int(text)


def parse_amount(text: str) -> Decimal:
    """A plain decimal as the indexer writes it ("8853.658536585366", "-12")."""
    if not _DECIMAL.fullmatch(text):
        raise KanaDecodeError("DECODE", f"not a decimal number: {text!r}")
    return Decimal(text)


def exact_quotient(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator as a `Decimal`, if that is a finite decimal; else ValueError."""
    if denominator <= 0:
        raise ValueError(f"denominator must be positive, not {denominator}")
    rest, twos, fives = denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    # A power of ten has only 2s and 5s: any other factor left in the reduced denominator
    # repeats forever, and shows here as a remainder.
    places = max(twos, fives)
    scaled, remainder = divmod(numerator * 10**places, denominator)
    if remainder:
        raise ValueError(f"{numerator}/{denominator} is not a finite decimal")
    return _shifted(scaled, places)


def _shifted(value: int, places: int) -> Decimal:
    """value · 10^-places, built digit by digit (`scaleb` would round past 28 digits)."""
    return Decimal((int(value < 0), tuple(int(d) for d in str(abs(value))), -places))


@dataclass(frozen=True, slots=True)
class MarketUnits:
    """One market's scales: `tick` (quote per base), `lot` (base), `quote_unit` (quote)."""

    tick: Decimal
    lot: Decimal
    quote_unit: Decimal
    tick_units: int
    """One tick in domain units (× 10^8): a book price is ticks × tick_units, exactly."""
    lot_units: int

    @classmethod
    def of(
        cls, *, base_decimals: int, quote_decimals: int, lot_size: int, tick_size: int
    ) -> MarketUnits:
        """The scales of a market described by `getMarketInfo`'s four numbers."""
        if lot_size <= 0 or tick_size <= 0 or base_decimals < 0 or quote_decimals < 0:
            raise UnrepresentableMarket("MARKET", "lot, tick and decimals must be positive")
        try:
            tick = exact_quotient(tick_size * 10**base_decimals, lot_size * 10**quote_decimals)
            lot = _shifted(lot_size, base_decimals)
            tick_units, lot_units = units_from_decimal(tick), units_from_decimal(lot)
        except (ValueError, PrecisionError) as exc:
            raise UnrepresentableMarket(
                "MARKET", f"tick or lot not exact in {DECIMALS} decimals: {exc}"
            ) from exc
        return cls(
            tick=tick.normalize(),
            lot=lot.normalize(),
            quote_unit=_shifted(1, quote_decimals),
            tick_units=tick_units,
            lot_units=lot_units,
        )

    def price(self, ticks: Decimal | int) -> Decimal:
        """A price in ticks (whole, or fractional as liquidation prices are) as quote per base."""
        return _EXACT.multiply(Decimal(ticks), self.tick).normalize(_EXACT)

    def size(self, lots: Decimal | int) -> Decimal:
        """A size in lots as base."""
        return _EXACT.multiply(Decimal(lots), self.lot).normalize(_EXACT)

    def quote(self, subunits: Decimal | int) -> Decimal:
        """An amount of quote subunits (value, margin, fee, pnl) as quote."""
        return _EXACT.multiply(Decimal(subunits), self.quote_unit).normalize(_EXACT)

    def price_units(self, ticks: int) -> int:
        """A book price in ticks as domain units (the book's integer keys)."""
        return ticks * self.tick_units

    def size_units(self, lots: int) -> int:
        """A book size in lots as domain units."""
        return lots * self.lot_units
