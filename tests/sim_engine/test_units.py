"""Integer units and their wire strings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.sim.engine.units import fmt, mul, parse_units


@pytest.mark.parametrize(
    ("units", "text"),
    [
        (0, "0"),
        (6762970000000, "67629.7"),
        (10_000_000_000, "100"),
        (-1, "-0.00000001"),
        (-150_000_000, "-1.5"),
    ],
)
def test_fmt_is_plain_decimal(units: int, text: str) -> None:
    assert fmt(units) == text


@given(st.integers(-(10**20), 10**20))
def test_fmt_round_trips(units: int) -> None:
    assert parse_units(fmt(units)) == units
    assert Decimal(fmt(units)) == Decimal(units).scaleb(-8)


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "NaN", None, True, [1]])
def test_parse_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_units(bad)


def test_parse_accepts_exponents_and_ints() -> None:
    assert parse_units("1e-3") == 100_000
    assert parse_units(5) == 500_000_000


def test_mul_rounds_half_away_from_zero() -> None:
    assert mul(150_000_000, 150_000_000) == 225_000_000
    assert mul(1, 50_000_000) == 1  # 0.5 unit rounds up
    assert mul(-1, 50_000_000) == -1
