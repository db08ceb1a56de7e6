"""Property tests: random order flows keep the book, sizes, positions and money consistent."""

from __future__ import annotations

from contextlib import suppress
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.sim.engine import SimVenue, VenueError

T0 = 1_700_000_000_000
USERS = (0xA1, 0xB2, 0xC3)
MARKETS = {
    "BTC-USD-PERP": (Decimal("67600"), Decimal("0.1"), Decimal("0.001")),
    "ETH-USD-PERP": (Decimal("3450"), Decimal("0.01"), Decimal("0.01")),
}
D = Decimal

action = st.tuples(
    st.sampled_from(USERS),
    st.sampled_from(
        ["GTC", "IOC", "POST_ONLY", "MARKET", "STOP", "REDUCE", "CANCEL", "MARK", "TIME"]
    ),
    st.sampled_from(sorted(MARKETS)),
    st.booleans(),
    st.integers(-40, 40),  # price offset in ticks × 10
    st.integers(1, 300),  # size in steps × 10
    st.sampled_from(["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"]),
)


def _do(venue: SimVenue, step: tuple[Any, ...], now: list[int]) -> None:
    account, kind, market, buy, offset, steps, stp = step
    mark, tick, size_step = MARKETS[market]
    price = mark + offset * 10 * tick
    body: dict[str, Any] = {
        "market": market,
        "side": "BUY" if buy else "SELL",
        "size": str(steps * 10 * size_step),
        "type": "LIMIT",
        "instruction": "GTC",
        "price": str(price),
        "stp": stp,
    }
    if kind == "CANCEL":
        opened = venue.private.open_orders_json(account, None)
        if opened:
            venue.cancel_order(account, opened[offset % len(opened)]["id"])
        return
    if kind == "MARK":
        venue.set_mark(market, str(price), index=str(mark))
        return
    if kind == "TIME":
        now[0] += 20_000
        venue.advance(now[0])
        return
    if kind in ("IOC", "POST_ONLY"):
        body["instruction"] = kind
    elif kind == "MARKET":
        body |= {"type": "MARKET", "price": None}
    elif kind == "STOP":
        body |= {"type": "STOP_MARKET", "price": None, "trigger_price": str(price)}
    elif kind == "REDUCE":
        body["flags"] = ["REDUCE_ONLY"]
    with suppress(VenueError):  # e.g. min notional: rejections are tested elsewhere
        venue.create_order(account, body)


def _check(venue: SimVenue) -> None:
    for market in MARKETS:
        book = venue.public.orderbook_json(market, depth=1)
        if book["bids"] and book["asks"]:
            assert D(book["bids"][0][0]) < D(book["asks"][0][0])
    bought = sold = D(0)
    for account in USERS:
        fills = venue.private.fills_json(account, None)
        by_order: dict[str, Decimal] = {}
        for fill in fills:
            by_order[fill["order_id"]] = by_order.get(fill["order_id"], D(0)) + D(fill["size"])
            if fill["fill_type"] == "FILL":
                bought += D(fill["size"]) if fill["side"] == "BUY" else 0
                sold += D(fill["size"]) if fill["side"] == "SELL" else 0
        for order in venue.private.orders_history_json(account):
            filled = D(order["size"]) - D(order["remaining_size"])
            assert filled == by_order.get(order["id"], D(0))
            assert D(order["remaining_size"]) >= 0
        realized = sum((D(f["realized_pnl"]) - D(f["fee"]) for f in fills), D(0))
        funding = sum(
            (D(p["payment"]) for p in venue.private.funding_payments_json(account, None)), D(0)
        )
        balance = D(venue.private.balance_json(account)[0]["size"])
        assert balance - 100_000 == realized + funding
        positions = venue.private.positions_json(account)
        unrealized = sum((D(p["unrealized_pnl"]) for p in positions), D(0))
        assert D(venue.private.account_json(account)["account_value"]) == balance + unrealized
        for p in positions:
            assert D(p["realized_positional_pnl"]) == sum(
                (D(f["realized_pnl"]) for f in fills if f["market"] == p["market"]), D(0)
            )
    assert bought == sold


def _net_positions(venue: SimVenue) -> dict[str, int]:
    # white-box: internal accounts (makers, takers, liquidator) have no REST view
    accounts = venue._ex.accounts.values()
    return {m: sum(a.size(m) for a in accounts) for m in venue.markets}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=1, max_size=40))
def test_random_flows_between_users(steps: list[tuple[Any, ...]]) -> None:
    venue = SimVenue(start_ms=T0, history_days=0.01, synthetic=False, funding_interval_s=10)
    for account in USERS:
        venue.onboard(account, account)
    now = [T0]
    for step in steps:
        _do(venue, step, now)
        _check(venue)
    assert set(_net_positions(venue).values()) == {0}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.lists(action, min_size=1, max_size=25))
def test_random_flows_in_the_live_market(seed: int, steps: list[tuple[Any, ...]]) -> None:
    venue = SimVenue(seed=seed, start_ms=T0, history_days=0.01, funding_interval_s=5)
    for account in USERS:
        venue.onboard(account, account)
    now = [T0]
    for step in steps:
        now[0] += 250
        venue.advance(now[0])
        _do(venue, step, now)
    _check_live(venue)
    assert set(_net_positions(venue).values()) == {0}


def _check_live(venue: SimVenue) -> None:
    for market in venue.markets:
        assert not venue._ex.books[market].is_crossed()
    for account in USERS:
        fills = venue.private.fills_json(account, None)
        realized = sum((D(f["realized_pnl"]) - D(f["fee"]) for f in fills), D(0))
        funding = sum(
            (D(p["payment"]) for p in venue.private.funding_payments_json(account, None)), D(0)
        )
        assert D(venue.private.balance_json(account)[0]["size"]) - 100_000 == realized + funding
