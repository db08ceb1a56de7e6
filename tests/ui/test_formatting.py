"""Display rules for numbers and times."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from terminal.domain.units import units_from_str
from terminal.viewmodels.formatting import (
    decimals_of,
    format_compact,
    format_funding,
    format_percent,
    format_price,
    format_size,
    format_tick,
    format_tick_compact,
    format_tick_time,
    format_time_ms,
    format_units,
    format_units_fit,
)


@pytest.mark.parametrize(("inc", "dp"), [("0.1", 1), ("0.001", 3), ("1", 0), ("0.50", 1), ("5", 0)])
def test_decimals_of(inc: str, dp: int) -> None:
    assert decimals_of(Decimal(inc)) == dp


def test_prices_and_sizes_follow_tick_and_step() -> None:
    assert format_price(Decimal("67629.7"), Decimal("0.1")) == "67,629.7"
    assert format_price(Decimal("0.000123"), Decimal("0.000001")) == "0.000123"
    assert format_size(Decimal("1.5"), Decimal("0.001")) == "1.500"


def test_units_format_exactly_without_float() -> None:
    assert format_units(units_from_str("1234567.25"), 2) == "1,234,567.25"
    assert format_units(units_from_str("-0.5"), 1) == "-0.5"
    assert format_units(units_from_str("12"), 0) == "12"
    assert format_units(units_from_str("99999999.99999999"), 8, thousands=False) == (
        "99999999.99999999"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1234567", "1.2M"),
        ("950300", "950.3K"),
        ("2500000000", "2.5B"),
        ("1234", "1,234"),
        ("-3400000", "-3.4M"),
    ],
)
def test_compact_volumes(value: str, text: str) -> None:
    assert format_compact(Decimal(value)) == text


def test_signed_percent_and_funding() -> None:
    assert format_percent(Decimal("0.0123")) == "+1.23%"
    assert format_percent(Decimal("-0.005")) == "-0.50%"
    assert format_percent(Decimal("-0.00001")) == "0.00%"
    assert format_funding(Decimal("0.0001")) == "+0.0100%"


def test_local_time_with_milliseconds() -> None:
    ms = 1_700_000_000_123
    expected = time.strftime("%H:%M:%S", time.localtime(ms // 1000)) + ".123"
    assert format_time_ms(ms) == expected


def test_axis_ticks_read_like_the_rest_of_the_screen() -> None:
    assert format_tick(67_500.0, 100.0) == "67,500"
    assert format_tick(0.25, 0.05) == "0.25"
    assert format_tick_compact(300_000.0, 100_000.0) == "300K"
    assert format_tick_compact(1_250_000.0, 250_000.0) == "1.2M"
    assert format_tick_compact(2_500.0, 500.0) == "2,500"
    midnight = time.mktime((2026, 11, 30, 0, 0, 0, 0, 0, -1))
    assert format_tick_time(midnight, 3600) == "30 Nov"
    assert format_tick_time(midnight + 5 * 3600 + 30 * 60, 1800) == "05:30"
    assert format_tick_time(midnight + 5 * 3600, 86_400) == "30 Nov"


def test_a_ladder_cell_fits_sizes_in_six_characters() -> None:
    assert format_units_fit(units_from_str("12.345"), 3, 6) == "12.345"
    assert format_units_fit(units_from_str("123.456"), 3, 6) == "123.45"
    assert format_units_fit(units_from_str("1234.567"), 3, 6) == "1,234"
    assert format_units_fit(units_from_str("123456.7"), 3, 6) == "123.5K"
    assert format_units_fit(units_from_str("1234567"), 3, 6) == "1.2M"
