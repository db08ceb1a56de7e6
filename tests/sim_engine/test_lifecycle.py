"""Order lifecycle as the private channels show it, and the private reads."""

from __future__ import annotations

from typing import Any

import pytest

from terminal.sim.engine import PrivateEvent, SimVenue, VenueError

ALICE, BOB = 0xA11CE, 0xB0B
BTC = "BTC-USD-PERP"


def test_resting_then_filled_order(bare: SimVenue, rec: Any, h: Any) -> None:
    order = bare.create_order(ALICE, h.body(price="67500", size="0.2", client_id="mine"))
    assert len(order["id"]) == 28 and order["id"].isdigit()
    assert (order["status"], order["account"], order["timestamp"]) == ("NEW", hex(ALICE), h.T0)
    bare.create_order(BOB, h.body(side="SELL", price="67500", size="0.05"), interactive=True)
    bare.create_order(BOB, h.body(side="SELL", price="67500", size="0.15"))
    updates = [u for u in rec.private(ALICE, "orders") if u["id"] == order["id"]]
    assert [(u["status"], u["remaining_size"]) for u in updates] == [
        ("OPEN", "0.2"),
        ("OPEN", "0.15"),
        ("CLOSED", "0"),
    ]
    assert [u["seq_no"] for u in updates] == sorted({u["seq_no"] for u in updates})
    assert updates[-1]["last_updated_at"] == updates[-1]["created_at"]
    bob_fills = rec.private(BOB, "fills")
    assert [f["flags"] for f in bob_fills] == [["interactive"], []]
    assert bare.private.order_by_client_id_json(ALICE, "mine")["status"] == "CLOSED"
    assert [f["order_id"] for f in bare.private.fills_json(ALICE, BTC)] == [order["id"]] * 2
    assert bare.private.fills_json(ALICE, h.ETH) == []
    with pytest.raises(VenueError):
        bare.private.order_by_client_id_json(ALICE, "other")


def test_private_events_are_routed_to_their_account(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="0.1"))
    bare.create_order(ALICE, h.body(price="67600", size="0.1"))
    families = {(e.account, e.family, e.market) for e in rec.events if isinstance(e, PrivateEvent)}
    for account in (ALICE, BOB):
        assert {
            (account, "fills", BTC),
            (account, "orders", BTC),
            (account, "positions", BTC),
            (account, "account", None),
            (account, "balance_events", BTC),
        } <= families
    assert all(
        e.payload["account"] == hex(e.account)
        for e in rec.events
        if isinstance(e, PrivateEvent) and e.family in ("fills", "orders", "positions")
    )


def test_stop_limit_rests_after_trigger(bare: SimVenue, rec: Any, h: Any) -> None:
    stop = bare.create_order(
        ALICE, h.body(side="SELL", type="STOP_LIMIT", price="66900", trigger_price="67000")
    )
    assert rec.order(ALICE, stop["id"])["status"] == "UNTRIGGERED"
    assert bare.private.open_orders_json(ALICE, BTC)[0]["status"] == "UNTRIGGERED"
    bare.set_mark(BTC, "67000")
    assert rec.order(ALICE, stop["id"])["status"] == "OPEN"
    assert bare.public.orderbook_json(BTC)["asks"] == [["66900", "0.1"]]
    modified = bare.modify_order(
        ALICE,
        stop["id"],
        {"market": BTC, "side": "SELL", "type": "STOP_LIMIT", "size": "0.1", "price": "66950"},
    )
    assert modified["price"] == "66950"


def test_modify_untriggered_trigger_price(bare: SimVenue, rec: Any, h: Any) -> None:
    stop = bare.create_order(ALICE, h.body(type="STOP_LIMIT", price="68100", trigger_price="68000"))
    bare.modify_order(
        ALICE,
        stop["id"],
        {
            "market": BTC,
            "side": "BUY",
            "type": "STOP_LIMIT",
            "size": "0.2",
            "price": "68200",
            "trigger_price": "68100",
        },
    )
    bare.set_mark(BTC, "68050")
    assert rec.order(ALICE, stop["id"])["status"] == "UNTRIGGERED"
    bare.set_mark(BTC, "68100")
    assert rec.order(ALICE, stop["id"])["status"] == "OPEN"
    assert bare.public.orderbook_json(BTC)["bids"] == [["68200", "0.2"]]


def test_cancel_all_unknown_market(bare: SimVenue) -> None:
    with pytest.raises(VenueError) as info:
        bare.cancel_all(ALICE, "NOPE")
    assert info.value.code == "MARKET_NOT_FOUND"


def test_book_events_one_delta_per_operation(bare: SimVenue, rec: Any, h: Any) -> None:
    for price in ("67500", "67400", "67300"):
        bare.create_order(ALICE, h.body(price=price, size="0.1"))
    rec.clear()
    bare.create_order(BOB, h.body(side="SELL", price="67300", size="0.25"))
    deltas = rec.public("order_book", BTC)
    assert len(deltas) == 1
    assert [lvl["price"] for lvl in deltas[0]["deletes"]] == ["67500", "67400"]
    assert deltas[0]["updates"] == [{"side": "BUY", "price": "67300", "size": "0.05"}]
    assert [t["size"] for t in rec.public("trades", BTC)] == ["0.1", "0.1", "0.05"]
    assert rec.public("bbo", BTC)[-1]["bid"] == "67300"
    empty = bare.public.bbo_json(h.ETH)
    assert (empty["bid"], empty["ask"]) == (None, None)
