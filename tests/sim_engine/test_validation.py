"""Synchronous rejections (VenueError codes) and risk closures (cancel_reason)."""

from __future__ import annotations

from typing import Any

import pytest

from terminal.sim.engine import SimVenue, VenueError

ALICE, BOB = 0xA11CE, 0xB0B  # onboarded by the `bare` fixture


def _code(venue: SimVenue, order: dict[str, Any], account: int = ALICE) -> str:
    with pytest.raises(VenueError) as info:
        venue.create_order(account, order)
    return info.value.code


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"market": "DOGE-USD-PERP", "price": "1"}, "MARKET_NOT_FOUND"),
        ({"price": "67600.05"}, "INVALID_PRICE_PRECISION"),
        ({"price": "67600.000000001"}, "INVALID_PRICE_PRECISION"),
        ({"price": "abc"}, "VALIDATION_ERROR"),
        ({"price": "-5"}, "VALIDATION_ERROR"),
        ({"size": "0.0015", "price": "67600"}, "INVALID_ORDER_SIZE"),
        ({"size": "0", "price": "67600"}, "INVALID_ORDER_SIZE"),
        ({"size": "101", "price": "67600"}, "INVALID_ORDER_SIZE"),
        ({"market": "ETH-USD-PERP", "size": "0.01", "price": "500"}, "INVALID_ORDER_SIZE"),
        ({"side": "HOLD", "price": "67600"}, "VALIDATION_ERROR"),
        ({"price": "67600", "instruction": "FOK"}, "VALIDATION_ERROR"),
        ({"price": "67600", "stp": "NONE"}, "VALIDATION_ERROR"),
        ({"type": "STOP_MARKET"}, "VALIDATION_ERROR"),
        ({"price": "67600", "flags": ["WHATEVER"]}, "VALIDATION_ERROR"),
        ({"price": "67600", "client_id": "x" * 65}, "VALIDATION_ERROR"),
    ],
    ids=[
        "market",
        "tick",
        "decimals",
        "price-text",
        "negative",
        "step",
        "zero",
        "max-size",
        "min-notional",
        "side",
        "instruction",
        "stp",
        "no-trigger",
        "flag",
        "client-id",
    ],
)
def test_sync_rejections(bare: SimVenue, h: Any, fields: dict[str, Any], code: str) -> None:
    assert _code(bare, h.body(**fields)) == code
    assert bare.private.open_orders_json(ALICE, None) == []


def test_rejections_carry_http_status(bare: SimVenue, h: Any) -> None:
    with pytest.raises(VenueError) as info:
        bare.public.markets_json("NOPE-USD-PERP")
    assert (info.value.code, info.value.http_status) == ("MARKET_NOT_FOUND", 404)
    assert info.value.to_json()["error"] == "MARKET_NOT_FOUND"
    assert _code(bare, h.body(price="67600"), account=0xDEAD) == "NOT_ONBOARDED"


def test_duplicate_client_id_only_while_open(bare: SimVenue, h: Any) -> None:
    first = bare.create_order(ALICE, h.body(price="67000", client_id="c1"))
    assert _code(bare, h.body(price="67000", client_id="c1")) == "DUPLICATED_CLIENT_ID"
    bare.cancel_order(ALICE, first["id"])
    assert bare.create_order(ALICE, h.body(price="67000", client_id="c1"))["client_id"] == "c1"


def test_open_order_limit_is_per_market(bare: SimVenue, h: Any) -> None:
    for i in range(100):
        bare.create_order(ALICE, h.body(price=str(67000 - i), size="0.001"))
    assert _code(bare, h.body(price="66000", size="0.001")) == "VALIDATION_ERROR"
    bare.create_order(ALICE, h.body(market=h.ETH, price="3400", size="0.01"))


def test_unknown_and_closed_orders(bare: SimVenue, h: Any) -> None:
    with pytest.raises(VenueError) as info:
        bare.cancel_order(ALICE, "1" * 28)
    assert (info.value.code, info.value.http_status) == ("ORDER_ID_NOT_FOUND", 404)
    with pytest.raises(VenueError) as info:
        bare.cancel_by_client_id(ALICE, "nope", None)
    assert info.value.code == "CLIENT_ORDER_ID_NOT_FOUND"
    order = bare.create_order(ALICE, h.body(price="67000"))
    bare.cancel_order(ALICE, order["id"])
    with pytest.raises(VenueError) as info:
        bare.cancel_order(ALICE, order["id"])
    assert info.value.code == "ORDER_IS_CLOSED"
    with pytest.raises(VenueError) as info:
        bare.private.order_json(BOB, order["id"])
    assert info.value.code == "ORDER_ID_NOT_FOUND"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"price": "75000"}, "PRICE_OUTSIDE_BANDS"),
        ({"price": "60000"}, "PRICE_OUTSIDE_BANDS"),
        ({"size": "80", "price": "67600"}, "NOT_ENOUGH_MARGIN"),
        (
            {"market": "ETH-USD-PERP", "size": "999", "price": "3450", "side": "SELL"},
            "NOT_ENOUGH_MARGIN",
        ),
        ({"price": "67600", "flags": ["REDUCE_ONLY"]}, "REDUCE_ONLY_WOULD_INCREASE"),
    ],
    ids=["band-high", "band-low", "margin", "margin-short", "reduce-only"],
)
def test_risk_closures(
    bare: SimVenue, rec: Any, h: Any, fields: dict[str, Any], reason: str
) -> None:
    accepted = bare.create_order(ALICE, h.body(**fields))
    assert accepted["status"] == "NEW"
    final = rec.order(ALICE, accepted["id"])
    assert (final["status"], final["cancel_reason"]) == ("CLOSED", reason)
    assert bare.private.open_orders_json(ALICE, None) == []


def test_position_limit(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.set_mark(h.SOL, "1")  # a cheap market so the 250,000 SOL limit binds before margin
    for _ in range(5):
        bare.create_order(BOB, h.body(market=h.SOL, side="SELL", size="50000", price="1"))
        bare.create_order(ALICE, h.body(market=h.SOL, size="50000", price="1"))
    assert bare.private.positions_json(ALICE)[0]["size"] == "250000"
    order = bare.create_order(ALICE, h.body(market=h.SOL, size="10", price="1"))
    assert rec.order(ALICE, order["id"])["cancel_reason"] == "ORDER_EXCEEDS_POSITION_LIMIT"
    reducing = bare.create_order(ALICE, h.body(market=h.SOL, side="SELL", size="10", price="1.001"))
    assert rec.order(ALICE, reducing["id"])["status"] == "OPEN"


def test_post_only_would_cross(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600"))
    order = bare.create_order(ALICE, h.body(price="67600", instruction="POST_ONLY"))
    assert rec.order(ALICE, order["id"])["cancel_reason"] == "POST_ONLY_WOULD_CROSS"
    resting = bare.create_order(ALICE, h.body(price="67599.9", instruction="POST_ONLY"))
    assert rec.order(ALICE, resting["id"])["status"] == "OPEN"
