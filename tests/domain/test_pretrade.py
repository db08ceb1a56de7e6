"""Pre-trade checks: each bad input is refused with a message that says what is valid."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.instruments import Instrument
from terminal.domain.orders import OrderType, Side, TimeInForce
from terminal.domain.pretrade import (
    MarketContext,
    SizeUnit,
    TicketInput,
    check_ticket,
    parse_decimal,
    smallest_size,
)

BTC = Instrument(
    symbol="BTC-USD-PERP",
    base_currency="BTC",
    quote_currency="USD",
    settlement_currency="USDC",
    tick_size=D("0.1"),
    step_size=D("0.001"),
    min_notional=D("10"),
    max_order_size=D("100"),
    position_limit=D("5"),
    max_open_orders=100,
    price_bands_width=D("0.05"),
    max_slippage=D("0.03"),
    funding_period_hours=8,
    initial_margin_fraction=D("0.02"),
    maker_fee=D("0.0002"),
    taker_fee=D("0.0005"),
)
CTX = MarketContext(
    BTC, best_bid=D("60000.0"), best_ask=D("60000.1"), mark=D("60000"), free_collateral=D("5000")
)


def limit(size: str = "0.01", price: str = "59990.0", **kw: object) -> TicketInput:
    return TicketInput(Side.BUY, OrderType.LIMIT, size, price, **kw)  # type: ignore[arg-type]


def test_a_valid_limit_order_with_its_preview() -> None:
    check = check_ticket(limit(), CTX)
    assert check.ok and check.errors == {}
    assert check.order is not None and check.order.price == D("59990.0")
    assert check.notional == D("599.900")
    assert check.fee == check.notional * BTC.maker_fee  # resting: maker
    assert check.initial_margin == check.notional * D("0.02")
    assert check.free_after == D("5000") - check.initial_margin - check.fee


@pytest.mark.parametrize(
    ("ticket", "field", "words"),
    [
        (limit(size="abc"), "size", "enter a number"),
        (limit(size="-1"), "size", "above 0"),
        (limit(size="0"), "size", "above 0"),
        (limit(size="0.0005"), "size", "multiple of 0.001"),
        (limit(size="0.0001"), "size", "multiple of 0.001"),
        (limit(size="0.0123"), "size", "nearest: 0.012"),
        (limit(price="NaN"), "price", "enter a number"),
        (limit(price="1e5"), "price", "enter a number"),
        (limit(price="٣"), "price", "enter a number"),
        (limit(price="59990.05"), "price", "multiple of 0.1 (nearest: 59990.0)"),
        (limit(price="70000"), "price", "outside the band 57000.0 – 63000.0"),
        (limit(size="101"), "size", "largest order, 100"),
        (limit(size="6"), "size", "limit is 5"),
        (limit(size="4.5"), "size", "of margin and fee; 5,000.00 free"),
        (limit(reduce_only=True), "order", "reduce-only needs an open position"),
        (
            TicketInput(Side.SELL, OrderType.STOP_MARKET, "0.01", trigger_text=""),
            "trigger",
            "enter a number",
        ),
        (
            TicketInput(Side.SELL, OrderType.STOP_LIMIT, "0.01", "59000.0", "59000.05"),
            "trigger",
            "nearest: 59000.0",
        ),
    ],
)
def test_each_bad_input_is_refused_with_what_is_valid(
    ticket: TicketInput, field: str, words: str
) -> None:
    check = check_ticket(ticket, CTX)
    assert not check.ok and check.order is None
    assert words in check.errors[field], check.errors


def test_an_order_below_the_minimum_value_names_the_smallest_size() -> None:
    ctx = replace(CTX, instrument=replace(BTC, min_notional=D("100")))
    check = check_ticket(limit(size="0.001"), ctx)
    assert check.errors["size"] == (
        "order value 59.99 is below the minimum 100 (smallest size: 0.002)"
    )


def test_usd_size_becomes_a_size_rounded_down_to_the_step() -> None:
    check = check_ticket(limit(size="1000", size_unit=SizeUnit.USD), CTX)
    assert check.ok and check.order is not None
    assert check.order.size == D("0.016")  # 1000 / 59990 = 0.01666..


def test_market_order_previews_at_the_touch_with_the_taker_fee() -> None:
    check = check_ticket(TicketInput(Side.BUY, OrderType.MARKET, "0.01"), CTX)
    assert check.ok and check.order is not None and check.order.price is None
    assert check.notional == D("600.001")
    assert check.fee == check.notional * BTC.taker_fee


def test_crossing_limit_pays_taker_and_post_only_maker() -> None:
    crossing = check_ticket(limit(price="60001.0"), CTX)
    assert crossing.fee == crossing.notional * BTC.taker_fee  # type: ignore[operator]
    post = check_ticket(limit(price="59999.0", instruction=TimeInForce.POST_ONLY), CTX)
    assert post.fee == post.notional * BTC.maker_fee  # type: ignore[operator]


def test_reduce_only_closing_a_long_needs_no_margin() -> None:
    ctx = replace(CTX, position=D("0.5"))
    check = check_ticket(TicketInput(Side.SELL, OrderType.MARKET, "0.5", reduce_only=True), ctx)
    assert check.ok and check.initial_margin == 0


def test_fat_finger_limit_asks_for_confirmation() -> None:
    ctx = replace(CTX, fat_finger_notional=D("500"))
    assert check_ticket(limit(size="0.01"), ctx).needs_confirmation
    assert not check_ticket(limit(size="0.008"), ctx).needs_confirmation


def test_unknown_free_collateral_skips_the_margin_check() -> None:
    check = check_ticket(limit(size="4"), replace(CTX, free_collateral=None))
    assert check.ok and check.free_after is None


def test_smallest_size_meets_the_minimum_value() -> None:
    size = smallest_size(BTC, D("60000"))
    assert size == D("0.001") and size * D("60000") >= BTC.min_notional
    assert smallest_size(BTC, D("3000")) == D("0.004")


@given(st.decimals(min_value=D("0.001"), max_value=D("1e6"), places=3, allow_nan=False))
def test_parse_decimal_reads_what_it_writes(value: D) -> None:
    assert parse_decimal(str(value)) == value
    assert parse_decimal(f"{value:,f}") == value


@pytest.mark.parametrize("text", ["", "-", ".", "1.2.3", "1e3", "inf", "NaN", "+1", "1_0", "²"])
def test_parse_decimal_refuses_anything_but_a_plain_number(text: str) -> None:
    assert parse_decimal(text) is None
