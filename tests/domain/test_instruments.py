"""Tick and step rounding with Decimal."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.instruments import Instrument
from terminal.domain.orders import OrderType, Side


def _btc() -> Instrument:
    return Instrument(
        symbol="BTC-USD-PERP",
        base_currency="BTC",
        quote_currency="USD",
        settlement_currency="USDC",
        tick_size=Decimal("0.1"),
        step_size=Decimal("0.001"),
        min_notional=Decimal("10"),
        max_order_size=Decimal("100"),
        position_limit=Decimal("500"),
        max_open_orders=100,
        price_bands_width=Decimal("0.05"),
        max_slippage=Decimal("0.05"),
        funding_period_hours=8,
    )


def test_prices_round_away_from_crossing() -> None:
    btc = _btc()
    assert btc.round_price(Decimal("67629.77"), Side.BUY) == Decimal("67629.7")
    assert btc.round_price(Decimal("67629.71"), Side.SELL) == Decimal("67629.8")
    assert btc.round_price(Decimal("67629.76")) == Decimal("67629.8")


def test_sizes_round_down_to_the_step() -> None:
    assert _btc().round_size(Decimal("0.12345")) == Decimal("0.123")


def test_on_tick_and_on_step() -> None:
    btc = _btc()
    assert btc.is_on_tick(Decimal("67629.7"))
    assert not btc.is_on_tick(Decimal("67629.75"))
    assert btc.is_on_step(Decimal("0.005"))
    assert not btc.is_on_step(Decimal("0.0005"))


def test_order_vocabulary() -> None:
    assert Side.BUY.opposite is Side.SELL
    assert OrderType.STOP_MARKET.is_market and OrderType.STOP_MARKET.is_conditional
    assert not OrderType.LIMIT.is_market and not OrderType.LIMIT.is_conditional
