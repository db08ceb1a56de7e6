"""Private and account wire schemas: a decimal the venue garbles is refused, never guessed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from terminal.venues.paradex.errors import BadResponse
from terminal.venues.paradex.http.transport import decode
from terminal.venues.paradex.schemas.private import (
    PRIVATE_DECODERS,
    MarketResp,
    OrderResp,
    PositionResp,
    Results,
)

GOOD: dict[str, dict[str, Any]] = {
    "orders": {
        "id": "1",
        "market": "BTC-USD-PERP",
        "side": "BUY",
        "type": "LIMIT",
        "size": "0.05",
        "remaining_size": "0.05",
        "status": "OPEN",
        "price": "26000",
        "trigger_price": "0",
        "avg_fill_price": "0",
    },
    "fills": {
        "id": "f",
        "market": "BTC-USD-PERP",
        "side": "SELL",
        "price": "26000",
        "size": "0.05",
        "fee": "0.01",
        "realized_pnl": "-1.5",
    },
    "positions": {
        "market": "BTC-USD-PERP",
        "size": "-0.05",
        "average_entry_price": "26000",
        "unrealized_pnl": "1",
        "realized_positional_pnl": "2",
        "liquidation_price": "30000",
        "leverage": "5",
    },
    "account": {"account": "0x1", "account_value": "1000", "free_collateral": "800"},
    "balance_events": {"settlement_asset_name": "USDC", "settlement_asset_balance_after": "9"},
    "funding_payments": {"id": "p", "market": "BTC-USD-PERP", "payment": "-0.1", "index": "5"},
}
FIELDS = [
    ("orders", "size"),
    ("orders", "remaining_size"),
    ("orders", "price"),
    ("orders", "trigger_price"),
    ("orders", "avg_fill_price"),
    ("fills", "price"),
    ("fills", "size"),
    ("fills", "fee"),
    ("fills", "realized_pnl"),
    ("positions", "size"),
    ("positions", "average_entry_price"),
    ("positions", "unrealized_pnl"),
    ("positions", "realized_positional_pnl"),
    ("positions", "liquidation_price"),
    ("positions", "leverage"),
    ("account", "account_value"),
    ("account", "free_collateral"),
    ("balance_events", "settlement_asset_balance_after"),
    ("funding_payments", "payment"),
    ("funding_payments", "index"),
]
# Before: "12x" read as no price (an order shown as a market order) or as 0 (an entry
# price, a fee), and "NaN"/"Infinity" went through as Decimal('NaN')/Decimal('Infinity').
BAD = ["12x", "abc", "1.2.3", "NaN", "-sNaN", "Infinity", "-inf"]


@pytest.mark.parametrize("text", BAD)
@pytest.mark.parametrize(("channel", "field"), FIELDS)
def test_a_garbled_decimal_on_a_private_channel_is_refused(
    channel: str, field: str, text: str
) -> None:
    decode_channel = PRIVATE_DECODERS[channel]
    decode_channel(msgspec.json.encode(GOOD[channel]))
    with pytest.raises(msgspec.ValidationError):
        decode_channel(msgspec.json.encode({**GOOD[channel], field: text}))


@pytest.mark.parametrize("text", ["12x", "NaN", "Infinity"])
def test_a_garbled_decimal_in_a_rest_answer_raises_bad_response(text: str) -> None:
    order = msgspec.json.encode({**GOOD["orders"], "price": text})
    with pytest.raises(BadResponse):
        decode(order, OrderResp)
    positions = msgspec.json.encode({"results": [{**GOOD["positions"], "leverage": text}]})
    with pytest.raises(BadResponse):
        decode(positions, Results[PositionResp])


MARKET = {
    "symbol": "BTC-USD-PERP",
    "order_size_increment": "0.001",
    "price_tick_size": "0.1",
    "min_notional": "10",
    "max_order_size": "100",
    "position_limit": "500",
    "price_bands_width": "0.05",
    "max_slippage": "0.01",
    "delta1_cross_margin_params": {"imf_base": "0.05"},
    "fee_config": {"api_fee": {"maker_fee": {"fee": "-0.00005"}, "taker_fee": {"fee": "0.0003"}}},
}


@pytest.mark.parametrize("text", ["0.1x", "NaN", "Infinity"])
@pytest.mark.parametrize(
    "path",
    [
        ("price_tick_size",),
        ("order_size_increment",),
        ("min_notional",),
        ("max_order_size",),
        ("delta1_cross_margin_params", "imf_base"),
        ("fee_config", "api_fee", "taker_fee", "fee"),
    ],
)
def test_a_market_with_a_garbled_tick_or_fee_is_refused_not_read_as_zero(
    path: tuple[str, ...], text: str
) -> None:
    assert decode(msgspec.json.encode(MARKET), MarketResp).to_domain().tick_size == Decimal("0.1")
    market = msgspec.json.decode(msgspec.json.encode(MARKET))
    node = market
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    with pytest.raises(BadResponse):
        decode(msgspec.json.encode(market), MarketResp)


def test_empty_and_zero_texts_still_mean_absent() -> None:
    order = PRIVATE_DECODERS["orders"](
        msgspec.json.encode(
            {**GOOD["orders"], "price": "0", "trigger_price": "", "avg_fill_price": "0"}
        )
    )
    assert order.price is None and order.trigger_price is None  # type: ignore[attr-defined]
    position = PRIVATE_DECODERS["positions"](
        msgspec.json.encode({**GOOD["positions"], "liquidation_price": "", "leverage": ""})
    )
    assert position.liquidation_price is None and position.leverage is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("hours", [8, "8", 8.0, "8.0"])
def test_a_market_funding_period_in_whole_hours_reads(hours: object) -> None:
    market = msgspec.json.encode({**MARKET, "funding_period_hours": hours})
    assert decode(market, MarketResp).to_domain().funding_period_hours == 8


@pytest.mark.parametrize("hours", [8.5, "8.5", 7.9999999, "NaN", "Infinity", "eight", ""])
def test_a_market_funding_period_not_in_whole_hours_is_refused_not_truncated(
    hours: object,
) -> None:
    # int(Decimal(...)) truncated 8.5 h to 8 and 7.9999999 h to 7.
    with pytest.raises(BadResponse):
        decode(msgspec.json.encode({**MARKET, "funding_period_hours": hours}), MarketResp)
