"""Matching: priority, instructions, market slippage, STP, triggers, reduce-only, modify."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terminal.sim.engine import SimVenue, VenueError

ALICE, BOB, CAROL = 0xA11CE, 0xB0B, 0xCA401
BTC = "BTC-USD-PERP"


def _fills(rec: Any, account: int) -> list[tuple[str, str, str]]:
    return [(f["price"], f["size"], f["liquidity"]) for f in rec.private(account, "fills")]


def test_price_time_priority(bare: SimVenue, rec: Any, h: Any) -> None:
    first = bare.create_order(ALICE, h.body(side="SELL", price="67601", size="0.1"))
    second = bare.create_order(BOB, h.body(side="SELL", price="67601", size="0.1"))
    better = bare.create_order(BOB, h.body(side="SELL", price="67600.5", size="0.05"))
    taker = bare.create_order(CAROL, h.body(price="67601", size="0.2"))
    assert _fills(rec, CAROL) == [
        ("67600.5", "0.05", "TAKER"),
        ("67601", "0.1", "TAKER"),
        ("67601", "0.05", "TAKER"),
    ]
    assert rec.order(ALICE, first["id"])["status"] == "CLOSED"
    assert rec.order(BOB, better["id"])["status"] == "CLOSED"
    left = rec.order(BOB, second["id"])
    assert (left["status"], left["remaining_size"]) == ("OPEN", "0.05")
    done = rec.order(CAROL, taker["id"])
    assert (done["status"], done["remaining_size"], done["cancel_reason"]) == ("CLOSED", "0", "")
    assert Decimal(done["avg_fill_price"]) == (
        Decimal("67600.5") * Decimal("0.05") + Decimal("67601") * Decimal("0.15")
    ) / Decimal("0.2")
    trades = rec.public("trades", BTC)
    assert [(t["side"], t["price"]) for t in trades] == [
        ("BUY", "67600.5"),
        ("BUY", "67601"),
        ("BUY", "67601"),
    ]


def test_gtc_rests_and_ioc_cancels_remainder(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(ALICE, h.body(side="SELL", price="67600", size="0.1"))
    gtc = bare.create_order(BOB, h.body(price="67600", size="0.3"))
    assert rec.order(BOB, gtc["id"])["status"] == "OPEN"
    assert bare.public.orderbook_json(BTC)["bids"] == [["67600", "0.2"]]
    ioc = bare.create_order(
        CAROL, h.body(side="SELL", price="67600", size="0.5", instruction="IOC")
    )
    final = rec.order(CAROL, ioc["id"])
    assert (final["remaining_size"], final["cancel_reason"]) == ("0.3", "REMAINING_IOC_CANCEL")
    assert bare.public.orderbook_json(BTC)["bids"] == []


def test_market_order_stops_at_slippage_band(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(ALICE, h.body(side="SELL", price="68000", size="0.1"))
    bare.create_order(ALICE, h.body(side="SELL", price="69600", size="0.1"))  # mark 67600 + 3 %
    bare.create_order(ALICE, h.body(side="SELL", price="70000", size="0.1"))  # beyond it
    market = bare.create_order(BOB, h.body(size="0.5"))
    final = rec.order(BOB, market["id"])
    assert (final["price"], final["remaining_size"]) == ("0", "0.3")
    assert final["cancel_reason"] == "REMAINING_IOC_CANCEL"
    assert bare.public.orderbook_json(BTC)["asks"] == [["70000", "0.1"]]
    empty = bare.create_order(BOB, h.body(market=h.ETH, side="SELL", size="1"))
    assert rec.order(BOB, empty["id"])["cancel_reason"] == "EMPTY_MARKET"


@pytest.mark.parametrize(
    ("stp", "taker_reason", "maker_open"),
    [
        ("EXPIRE_TAKER", "SELF_TRADE", True),
        ("EXPIRE_MAKER", "", False),
        ("EXPIRE_BOTH", "SELF_TRADE", False),
    ],
)
def test_self_trade_prevention(
    bare: SimVenue, rec: Any, h: Any, stp: str, taker_reason: str, maker_open: bool
) -> None:
    maker = bare.create_order(ALICE, h.body(side="SELL", price="67600", size="0.1"))
    taker = bare.create_order(ALICE, h.body(price="67600", size="0.1", stp=stp))
    maker_state = rec.order(ALICE, maker["id"])
    taker_state = rec.order(ALICE, taker["id"])
    assert (maker_state["status"] == "OPEN") is maker_open
    if not maker_open:
        assert maker_state["cancel_reason"] == "SELF_TRADE"
    assert taker_state["cancel_reason"] == taker_reason
    if stp == "EXPIRE_MAKER":
        assert taker_state["status"] == "OPEN"  # nothing left to cross: it rests
    assert rec.private(ALICE, "fills") == []


def test_stop_market_triggers_on_mark(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="68500", size="0.2"))
    stop = bare.create_order(ALICE, h.body(type="STOP_MARKET", trigger_price="68000"))
    assert rec.order(ALICE, stop["id"])["status"] == "UNTRIGGERED"
    bare.set_mark(BTC, "67900")
    assert rec.order(ALICE, stop["id"])["status"] == "UNTRIGGERED"
    bare.set_mark(BTC, "68000")
    final = rec.order(ALICE, stop["id"])
    assert (final["status"], final["remaining_size"], final["avg_fill_price"]) == (
        "CLOSED",
        "0",
        "68500",
    )


def test_take_profit_limit_sell_triggers_above(bare: SimVenue, rec: Any, h: Any) -> None:
    tp = bare.create_order(
        ALICE, h.body(side="SELL", type="TAKE_PROFIT_LIMIT", price="69000", trigger_price="69000")
    )
    stop_loss = bare.create_order(
        ALICE, h.body(side="SELL", type="STOP_LOSS_MARKET", trigger_price="66000")
    )
    bare.set_mark(BTC, "69000")
    assert rec.order(ALICE, tp["id"])["status"] == "OPEN"
    assert rec.order(ALICE, stop_loss["id"])["status"] == "UNTRIGGERED"
    assert bare.public.orderbook_json(BTC)["asks"] == [["69000", "0.1"]]


def test_reduce_only_shrinks_and_cancels(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="0.1"))
    bare.create_order(ALICE, h.body(price="67600", size="0.1"))  # Alice long 0.1
    ro = bare.create_order(
        ALICE, h.body(side="SELL", price="68000", size="0.3", flags=["REDUCE_ONLY"])
    )
    assert rec.order(ALICE, ro["id"])["remaining_size"] == "0.1"
    bare.create_order(CAROL, h.body(price="67500", size="0.1"))
    bare.create_order(ALICE, h.body(side="SELL", price="67500", size="0.1"))  # now flat
    final = rec.order(ALICE, ro["id"])
    assert (final["status"], final["cancel_reason"]) == ("CLOSED", "REDUCE_ONLY_WOULD_INCREASE")


def test_reduce_only_market_caps_at_position(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="0.1"))
    bare.create_order(ALICE, h.body(price="67600", size="0.1"))
    bare.create_order(CAROL, h.body(price="67500", size="1"))
    ro = bare.create_order(ALICE, h.body(side="SELL", size="0.5", flags=["REDUCE_ONLY"]))
    final = rec.order(ALICE, ro["id"])
    assert (final["remaining_size"], final["status"]) == ("0.4", "CLOSED")
    assert bare.private.positions_json(ALICE)[0]["size"] == "0"


def test_modify_reprices_and_resizes(bare: SimVenue, rec: Any, h: Any) -> None:
    order = bare.create_order(ALICE, h.body(price="67000", size="0.1"))
    modified = bare.modify_order(
        ALICE,
        order["id"],
        {
            "id": order["id"],
            "market": BTC,
            "side": "BUY",
            "type": "LIMIT",
            "size": "0.2",
            "price": "67100",
        },
    )
    assert (modified["id"], modified["price"], modified["size"]) == (order["id"], "67100", "0.2")
    assert modified["request_info"]["request_type"] == "MODIFY_ORDER"
    assert bare.public.orderbook_json(BTC)["bids"] == [["67100", "0.2"]]
    with pytest.raises(VenueError) as info:
        bare.modify_order(
            ALICE,
            order["id"],
            {"market": BTC, "side": "SELL", "type": "LIMIT", "size": "0.2", "price": "67100"},
        )
    assert info.value.code == "VALIDATION_ERROR"
    bare.cancel_order(ALICE, order["id"])
    with pytest.raises(VenueError) as info:
        bare.modify_order(
            ALICE,
            order["id"],
            {"market": BTC, "side": "BUY", "type": "LIMIT", "size": "0.2", "price": "67100"},
        )
    assert info.value.code == "ORDER_IS_CLOSED"


def test_batches_and_cancels(bare: SimVenue, h: Any) -> None:
    result = bare.create_orders_batch(
        ALICE,
        [
            h.body(price="67000", client_id="a"),
            h.body(price="1.05"),
            h.body(market=h.ETH, price="3400", client_id="b"),
        ],
    )
    assert [o["client_id"] for o in result["orders"]] == ["a", "b"]
    assert [e["error"] for e in result["errors"]] == ["INVALID_PRICE_PRECISION"]
    with pytest.raises(VenueError) as info:
        bare.create_orders_batch(ALICE, [])
    assert info.value.code == "BATCH_SIZE_OUT_OF_RANGE"
    first = result["orders"][0]["id"]
    out = bare.cancel_batch(ALICE, [first, "9" * 28], ["b", "zz"])
    assert [r["status"] for r in out["results"]] == [
        "QUEUED_FOR_CANCELLATION",
        "NOT_FOUND",
        "QUEUED_FOR_CANCELLATION",
        "NOT_FOUND",
    ]
    assert bare.cancel_batch(ALICE, [first], [])["results"][0]["status"] == "ALREADY_CLOSED"
    bare.create_order(ALICE, h.body(price="67000", client_id="c"))
    bare.create_order(ALICE, h.body(market=h.ETH, price="3400"))
    assert len(bare.cancel_all(ALICE, BTC)) == 1
    assert [o["market"] for o in bare.private.open_orders_json(ALICE, None)] == [h.ETH]
    bare.create_order(ALICE, h.body(price="67000", client_id="d"))
    with pytest.raises(VenueError):
        bare.cancel_by_client_id(ALICE, "d", h.ETH)
    bare.cancel_by_client_id(ALICE, "d", BTC)
    assert [o["cancel_reason"] for o in bare.cancel_all(ALICE)] == ["USER_CANCELED"]
    history = bare.private.orders_history_json(ALICE, market=h.ETH)
    assert all(o["market"] == h.ETH for o in history)
    assert len(history) == 2


def test_paused_matching_keeps_orders_new(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="0.1"))
    bare.set_matching_paused(True)
    order = bare.create_order(ALICE, h.body(price="67600", size="0.1"))
    assert bare.private.order_json(ALICE, order["id"])["status"] == "NEW"
    assert rec.private(ALICE, "fills") == []
    bare.set_matching_paused(False)
    assert bare.private.order_json(ALICE, order["id"])["status"] == "CLOSED"
    assert len(rec.private(ALICE, "fills")) == 1


def test_take_profit_fill_cancels_the_stop_loss(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="0.1"))
    bare.create_order(ALICE, h.body(price="67600", size="0.1"))  # Alice long 0.1
    bare.create_order(CAROL, h.body(price="68900", size="0.1"))  # a bid for the TP to hit
    tp = bare.create_order(
        ALICE,
        h.body(
            side="SELL",
            type="TAKE_PROFIT_MARKET",
            size="0.1",
            trigger_price="69000",
            flags=["REDUCE_ONLY"],
        ),
    )
    sl = bare.create_order(
        ALICE,
        h.body(
            side="SELL",
            type="STOP_LOSS_MARKET",
            size="0.1",
            trigger_price="66000",
            flags=["REDUCE_ONLY"],
        ),
    )
    bare.set_mark(BTC, "69000")
    assert rec.order(ALICE, tp["id"])["remaining_size"] == "0"
    assert rec.order(ALICE, sl["id"])["status"] == "CLOSED"
    assert bare.private.positions_json(ALICE)[0]["size"] == "0"


@pytest.mark.parametrize(
    ("type_", "side", "fires_above"),
    [
        ("STOP_MARKET", "BUY", True),
        ("STOP_MARKET", "SELL", False),
        ("STOP_LIMIT", "BUY", True),
        ("STOP_LOSS_LIMIT", "SELL", False),
        ("STOP_LOSS_MARKET", "BUY", True),
        ("TAKE_PROFIT_MARKET", "BUY", False),
        ("TAKE_PROFIT_LIMIT", "SELL", True),
        ("TAKE_PROFIT_LIMIT", "BUY", False),
    ],
)
def test_conditional_trigger_directions(
    bare: SimVenue, rec: Any, h: Any, type_: str, side: str, fires_above: bool
) -> None:
    trigger = "68000" if fires_above else "67000"
    wrong_way, right_way = ("66000", "68000") if fires_above else ("69000", "67000")
    price = {"price": trigger} if type_.endswith("LIMIT") else {}
    order = bare.create_order(ALICE, h.body(side=side, type=type_, trigger_price=trigger, **price))
    bare.set_mark(BTC, wrong_way)
    assert rec.order(ALICE, order["id"])["status"] == "UNTRIGGERED"
    bare.set_mark(BTC, right_way)
    assert rec.order(ALICE, order["id"])["status"] != "UNTRIGGERED"


def test_stop_condition_flag_overrides_direction(bare: SimVenue, rec: Any, h: Any) -> None:
    order = bare.create_order(
        ALICE,
        h.body(type="STOP_MARKET", trigger_price="67000", flags=["STOP_CONDITION_BELOW_TRIGGER"]),
    )
    bare.set_mark(BTC, "67000")
    assert rec.order(ALICE, order["id"])["status"] == "CLOSED"  # fired; empty book
