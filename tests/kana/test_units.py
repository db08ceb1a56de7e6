"""Ticks and lots to domain units: exact, by property."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.units import decimal_from_units, units_from_decimal
from terminal.venues.kana.errors import KanaDecodeError, UnrepresentableMarket
from terminal.venues.kana.units import MarketUnits, exact_quotient, parse_count

# Scales whose tick and lot fit the domain's 8 decimals: lot = 2^a·5^b, any tick, and
# base_decimals ≥ quote_decimals keeps the tick's denominator to 2s and 5s.
lots = st.builds(lambda a, b: 2**a * 5**b, st.integers(0, 12), st.integers(0, 12))
scales = st.builds(
    lambda bd, qd, lot, tick: (bd, qd, lot, tick),
    st.integers(6, 10),
    st.integers(0, 6),
    lots,
    st.integers(1, 10_000),
)
counts = st.integers(0, 10**15)


def units_or_none(bd: int, qd: int, lot: int, tick: int) -> MarketUnits | None:
    try:
        return MarketUnits.of(base_decimals=bd, quote_decimals=qd, lot_size=lot, tick_size=tick)
    except UnrepresentableMarket:
        return None


@given(scales, counts)
def test_price_is_ticks_times_the_tick_exactly(scale: tuple[int, int, int, int], n: int) -> None:
    bd, qd, lot, tick = scale
    units = units_or_none(*scale)
    if units is None:
        # Refused only when the tick truly needs more than 8 decimals.
        exact = Fraction(tick * 10**bd, lot * 10**qd)
        assert (exact * 10**8).denominator != 1 or Fraction(lot, 10**bd) * 10**8 % 1 != 0
        return
    expected = Fraction(n) * Fraction(tick * 10**bd, lot * 10**qd)
    assert Fraction(units.price(n)) == expected
    assert Fraction(decimal_from_units(units.price_units(n))) == expected
    assert units.price_units(n) == units_from_decimal(units.price(n))


@given(scales, counts)
def test_size_is_lots_times_the_lot_exactly(scale: tuple[int, int, int, int], n: int) -> None:
    bd, _, lot, _ = scale
    units = units_or_none(*scale)
    if units is None:
        return
    assert Fraction(units.size(n)) == Fraction(n * lot, 10**bd)
    assert units.size_units(n) == units_from_decimal(units.size(n))


@given(st.integers(-(10**30), 10**30), st.integers(1, 10**12))
def test_exact_quotient_is_exact_or_refuses(numerator: int, denominator: int) -> None:
    try:
        value = exact_quotient(numerator, denominator)
    except ValueError:
        reduced = Fraction(numerator, denominator).denominator
        while reduced % 2 == 0:
            reduced //= 2
        while reduced % 5 == 0:
            reduced //= 5
        assert reduced != 1
    else:
        assert Fraction(value) == Fraction(numerator, denominator)


@given(st.integers(0, 10**20), st.integers(0, 10**6))
def test_fractional_ticks_convert_without_rounding(whole: int, fraction: int) -> None:
    units = MarketUnits.of(base_decimals=8, quote_decimals=6, lot_size=100000, tick_size=1)
    ticks = Decimal(f"{whole}.{fraction:06d}")
    assert Fraction(units.price(ticks)) == Fraction(ticks) / 1000


def test_a_tick_that_never_ends_is_refused() -> None:
    # Kana's own docs show lot_size 150000000 with tick 1: 1/1500 of a USDC repeats forever.
    with pytest.raises(UnrepresentableMarket):
        MarketUnits.of(base_decimals=8, quote_decimals=6, lot_size=150_000_000, tick_size=1)


@pytest.mark.parametrize("text", ["", "-1", "1.5", "1e3", " 1", "١"])
def test_counts_are_plain_ascii_whole_numbers(text: str) -> None:
    with pytest.raises(KanaDecodeError):
        parse_count(text)
