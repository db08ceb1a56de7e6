"""Margin arithmetic: account value, initial/maintenance margin, liquidation test."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from terminal.sim.engine.accounts import Account
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.units import mul


@dataclass(frozen=True, slots=True)
class MarginState:
    """An account's margin figures in units."""

    account_value: int
    initial_margin: int
    maintenance_margin: int
    unrealized: int

    @property
    def free_collateral(self) -> int:
        """Account value less initial margin."""
        return self.account_value - self.initial_margin

    @property
    def margin_cushion(self) -> int:
        """Account value less maintenance margin."""
        return self.account_value - self.maintenance_margin


def margin_state(
    account: Account,
    markets: Mapping[str, MarketSpec],
    marks: Mapping[str, int],
    extra_order_margin: int = 0,
) -> MarginState:
    """Margin figures: positions at mark, plus the initial margin of open increasing orders."""
    unrealized = initial = maintenance = 0
    for market, pos in account.positions.items():
        if not pos.size:
            continue
        mark = marks[market]
        unrealized += pos.unrealized(mark)
        notional = abs(mul(pos.size, mark))
        imf, mmf = markets[market].margin_fractions(notional)
        initial += mul(notional, imf)
        maintenance += mul(notional, mmf)
    for order in account.open_orders.values():
        initial += order_margin(
            order.market, order.remaining, order.price, order.reduce_only, markets, marks
        )
    return MarginState(
        account.balance + unrealized, initial + extra_order_margin, maintenance, unrealized
    )


def order_margin(
    market: str,
    size: int,
    price: int,
    reduce_only: bool,
    markets: Mapping[str, MarketSpec],
    marks: Mapping[str, int],
) -> int:
    """Initial margin an open order reserves (none for reduce-only orders)."""
    if reduce_only:
        return 0
    notional = mul(size, price or marks[market])
    imf, _ = markets[market].margin_fractions(notional)
    return mul(notional, imf)


def leverage(
    account: Account, market: str, markets: Mapping[str, MarketSpec], marks: Mapping[str, int]
) -> int:
    """Maximum leverage of the position's tier, in units (e.g. 50 × 10^8)."""
    pos = account.positions.get(market)
    notional = abs(mul(pos.size, marks[market])) if pos else 0
    imf, _ = markets[market].margin_fractions(notional)
    return 10**16 // imf


def liquidation_price(
    account: Account, market: str, markets: Mapping[str, MarketSpec], marks: Mapping[str, int]
) -> int:
    """The mark at which this position alone would take the account to maintenance margin."""
    pos = account.positions.get(market)
    if pos is None or not pos.size:
        return 0
    state = margin_state(account, markets, marks)
    mark = marks[market]
    _, mmf = markets[market].margin_fractions(abs(mul(pos.size, mark)))
    # the cushion shrinks by |size| × Δmark × (1 − mmf) for a long as the mark falls (the
    # maintenance margin falls too), by |size| × Δmark × (1 + mmf) for a short as it rises
    cushion = state.margin_cushion
    per_unit = abs(pos.size) * (10**8 + (-mmf if pos.size > 0 else mmf)) // 10**8
    if per_unit <= 0:
        return 0
    move = cushion * 10**8 // per_unit
    price = mark - move if pos.size > 0 else mark + move
    return max(price, 0)
