"""Exact conversions between decimal strings, Decimals and integer chain units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.units import (
    PrecisionError,
    decimal_from_units,
    units_from_decimal,
    units_from_str,
)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("67629.7", 6762970000000),
        ("67629.70000000", 6762970000000),
        ("0.00000001", 1),
        ("5", 500000000),
        ("-0.0123", -1230000),
        ("0", 0),
        (".5", 50000000),
        ("1.500000000", 150000000),
    ],
)
def test_units_from_str(text: str, units: int) -> None:
    assert units_from_str(text) == units


def test_more_than_eight_decimals_is_refused() -> None:
    with pytest.raises(PrecisionError):
        units_from_str("0.000000001")
    with pytest.raises(PrecisionError):
        units_from_decimal(Decimal("1.123456789"))


def test_decimal_from_units_normalises() -> None:
    assert str(decimal_from_units(6762970000000)) == "67629.7"
    assert str(decimal_from_units(0)) == "0"
    assert decimal_from_units(-1230000) == Decimal("-0.0123")


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_round_trip_through_every_form(units: int) -> None:
    value = decimal_from_units(units)
    assert units_from_decimal(value) == units
    assert units_from_str(format(value, "f")) == units


@pytest.mark.parametrize(
    "text", ["--1.5", "+-1.5", "-+1.5", "1.5_0", "1_0.5", " 1.5", "1.5 ", ".", "-", "", "٣.5"]
)
def test_malformed_text_is_refused_not_misread(text: str) -> None:
    # "1.5_0" used to read as 0.15 and "+-1.5" as +1.5: only plain ASCII decimals pass.
    with pytest.raises(ValueError, match="not a decimal"):
        units_from_str(text)
