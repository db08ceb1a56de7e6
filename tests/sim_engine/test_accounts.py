"""Accounts: onboarding, PnL and fees, margin figures, funding, liquidation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from terminal.sim.engine import SimVenue

ALICE, BOB, CAROL = 0xA11CE, 0xB0B, 0xCA401
BTC = "BTC-USD-PERP"
D = Decimal


def _balance(venue: SimVenue, account: int) -> Decimal:
    return D(venue.private.balance_json(account)[0]["size"])


def test_onboarding_is_idempotent(bare: SimVenue) -> None:
    bare.onboard(0x77, 0x99)
    bare.onboard(0x77, 0x99)
    assert bare.is_onboarded(0x77) and bare.public_key(0x77) == 0x99
    assert not bare.is_onboarded(0x78)
    assert not bare.is_onboarded(0x100)  # an internal market maker is not a user
    assert _balance(bare, 0x77) == 100_000
    summary = bare.private.account_json(0x77)
    assert (summary["account"], summary["status"], summary["account_value"]) == (
        "0x77",
        "ACTIVE",
        "100000",
    )


def test_realised_pnl_and_fees(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="0.1"))
    bare.create_order(ALICE, h.body(price="67600", size="0.1"))  # Alice takes
    bare.create_order(ALICE, h.body(side="SELL", price="67700", size="0.1"))  # Alice rests
    bare.create_order(CAROL, h.body(price="67700", size="0.1"))
    fills = rec.private(ALICE, "fills")
    assert [(f["liquidity"], f["fee"], f["realized_pnl"]) for f in fills] == [
        ("TAKER", "3.38", "0"),
        ("MAKER", "1.354", "10"),
    ]
    assert _balance(bare, ALICE) == D("100000") + 10 - D("3.38") - D("1.354")
    position = bare.private.positions_json(ALICE)[0]
    assert (position["status"], position["size"], position["realized_positional_pnl"]) == (
        "CLOSED",
        "0",
        "10",
    )
    assert position["average_exit_price"] == "67700"
    events = rec.private(ALICE, "balance_events")
    assert events[-1]["settlement_asset_balance_after"] == str(_balance(bare, ALICE))


def test_unrealised_pnl_and_margin(bare: SimVenue, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="1"))
    bare.create_order(ALICE, h.body(price="67600", size="1"))
    bare.set_mark(BTC, "67000")
    long, short = bare.private.positions_json(ALICE)[0], bare.private.positions_json(BOB)[0]
    assert (long["side"], long["unrealized_pnl"], long["average_entry_price"]) == (
        "LONG",
        "-600",
        "67600",
    )
    assert (short["side"], short["size"], short["unrealized_pnl"]) == ("SHORT", "-1", "600")
    summary = bare.private.account_json(ALICE)
    value = _balance(bare, ALICE) - 600
    assert D(summary["account_value"]) == value
    assert D(summary["initial_margin_requirement"]) == D("67000") * D("0.02")
    assert D(summary["maintenance_margin_requirement"]) == D("67000") * D("0.01")
    assert D(summary["free_collateral"]) == value - D("1340")
    assert long["leverage"] == "50"
    bare.create_order(ALICE, h.body(price="66900", size="1"))  # an open order reserves margin
    assert D(bare.private.account_json(ALICE)["initial_margin_requirement"]) == (
        D("1340") + D("66900") * D("0.02")
    )


def test_funding_longs_pay_when_mark_is_above_index(rec: Any, h: Any) -> None:
    venue = SimVenue(start_ms=h.T0, history_days=0.01, synthetic=False, funding_interval_s=10)
    venue.add_listener(rec)
    venue.onboard(ALICE, 1)
    venue.onboard(BOB, 2)
    venue.create_order(BOB, h.body(side="SELL", price="67600", size="1"))
    venue.create_order(ALICE, h.body(price="67600", size="1"))
    before = _balance(venue, ALICE), _balance(venue, BOB)
    venue.set_mark(BTC, "67676", index="67600")
    venue.advance(h.T0 + 10_000)
    paid, received = rec.private(ALICE, "funding_payments"), rec.private(BOB, "funding_payments")
    assert len(paid) == len(received) == 1
    assert D(paid[0]["payment"]) < 0 < D(received[0]["payment"])
    assert D(paid[0]["payment"]) == -D(received[0]["payment"])
    assert _balance(venue, ALICE) == before[0] + D(paid[0]["payment"])
    assert _balance(venue, BOB) == before[1] + D(received[0]["payment"])
    assert venue.private.funding_payments_json(ALICE, BTC) == paid
    data = rec.public("funding_data", BTC)
    assert D(data[-1]["funding_rate"]) == D(76) / D(67600) // D("1e-8") * D("1e-8")
    assert venue.public.funding_data_json(BTC)[0] == data[-1]


def test_liquidation_closes_positions_at_mark(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="50"))
    bare.create_order(ALICE, h.body(price="67600", size="50"))
    resting = bare.create_order(ALICE, h.body(price="66000", size="0.1"))
    liq = D(bare.private.positions_json(ALICE)[0]["liquidation_price"])
    assert 66_200 < liq < 66_400
    bare.set_mark(BTC, str(liq + 20))
    assert bare.private.positions_json(ALICE)[0]["size"] == "50"
    bare.set_mark(BTC, str(liq - 20))
    assert bare.private.positions_json(ALICE)[0]["size"] == "0"
    statuses = [a["status"] for a in rec.private(ALICE, "account")]
    assert "LIQUIDATION" in statuses
    assert statuses[-1] == "ACTIVE"
    assert rec.order(ALICE, resting["id"])["cancel_reason"] == "IN_LIQUIDATION"
    last_fill = rec.private(ALICE, "fills")[-1]
    assert (last_fill["fill_type"], last_fill["side"], last_fill["size"]) == (
        "LIQUIDATION",
        "SELL",
        "50",
    )
    assert D(last_fill["price"]) == liq - 20
    fee = D("67600") * 50 * D("0.0005")
    assert D(bare.private.account_json(ALICE)["account_value"]) == (
        100_000 - fee - 50 * (67600 - D(last_fill["price"]))
    )


def test_open_positions_are_republished_at_mark(bare: SimVenue, rec: Any, h: Any) -> None:
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="1"))
    bare.create_order(ALICE, h.body(price="67600", size="1"))
    bare.create_order(CAROL, h.body(price="67000", size="1"))  # Carol has no position
    bare.set_mark(BTC, "67700")
    rec.clear()
    bare.advance(h.T0 + 1000)
    assert [p["unrealized_pnl"] for p in rec.private(ALICE, "positions")] == ["100"]
    assert [p["unrealized_pnl"] for p in rec.private(BOB, "positions")] == ["-100"]
    assert rec.private(CAROL, "positions") == []
    assert len(rec.private(ALICE, "account")) == 1


def test_deposit_liquidation_and_transactions_are_recorded(bare: SimVenue, h: Any) -> None:
    everything = (0, 2**62)
    deposit = bare.private.transfers_json(ALICE, None, *everything)
    assert [(d["kind"], d["status"], d["amount"]) for d in deposit] == [
        ("DEPOSIT", "COMPLETED", "100000")
    ]
    bare.create_order(BOB, h.body(side="SELL", price="67600", size="50"))
    bare.create_order(ALICE, h.body(price="67600", size="50"))
    assert bare.private.liquidations_json(ALICE, *everything) == []
    liq = D(bare.private.positions_json(ALICE)[0]["liquidation_price"])
    bare.set_mark(BTC, str(liq - 20))
    liquidations = bare.private.liquidations_json(ALICE, *everything)
    assert len(liquidations) == 1 and liquidations[0]["id"].startswith("0x")
    transactions = bare.private.transactions_json(ALICE, *everything)
    assert [t["type"] for t in transactions] == ["TRANSACTION_LIQUIDATE", "TRANSACTION_FILL"]
    assert transactions[0]["hash"] == liquidations[0]["id"]
    opening_fill = bare.private.fills_json(ALICE, BTC)[-1]
    assert transactions[1]["id"] == opening_fill["id"]
    assert bare.private.liquidations_json(BOB, *everything) == []
    fund = bare.public.insurance_json()
    assert D(fund["account_value"]) > 0 and fund["updated_at"] == bare.now_ms
