"""Accounts: USDC balance, positions with average entry and PnL, orders and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from terminal.sim.engine.orders import SimOrder
from terminal.sim.engine.units import SCALE, mul

ONBOARDING_BALANCE = 100_000 * SCALE
LIQUIDATOR = 0x11  # the internal account that takes over liquidated positions


def _div_round(num: int, den: int) -> int:
    """num / den rounded half away from zero (den > 0)."""
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return q if num >= 0 else -q


@dataclass(slots=True)
class Position:
    """A position in one market: signed size and signed cost (Σ size × price), in units."""

    id: str
    market: str
    size: int = 0
    cost: int = 0
    realized_pnl: int = 0
    realized_funding: int = 0
    exit_notional: int = 0
    exit_size: int = 0
    last_fill_id: str = ""
    funding_index: int = 0
    created_at: int = 0
    updated_at: int = 0
    closed_at: int = 0
    seq_no: int = 0

    def average_entry(self) -> int:
        """Average entry price in units (0 when flat)."""
        return _div_round(abs(self.cost) * SCALE, abs(self.size)) if self.size else 0

    def unrealized(self, mark: int) -> int:
        """Unrealised PnL against `mark`, in units."""
        return mul(self.size, mark) - self.cost if self.size else 0

    def apply(self, qty: int, price: int, now_ms: int) -> int:
        """Apply a fill of signed `qty` at `price`; returns the realised PnL (units)."""
        realized = 0
        if self.size and (self.size > 0) != (qty > 0):
            closing = min(abs(qty), abs(self.size))
            signed = closing if qty > 0 else -closing
            removed = _div_round(self.cost * closing, abs(self.size))
            realized = -mul(signed, price) - removed
            self.cost -= removed
            self.size += signed
            self.exit_notional += mul(closing, price)
            self.exit_size += closing
            qty -= signed
            if not self.size:
                self.cost = 0
                self.closed_at = now_ms
        if qty:
            if not self.size:
                self.created_at = now_ms
                self.exit_notional = self.exit_size = 0
            self.cost += mul(qty, price)
            self.size += qty
        self.realized_pnl += realized
        self.updated_at = now_ms
        return realized


@dataclass(slots=True)
class Account:
    """One account (an onboarded user or an internal market participant)."""

    id: int
    public_key: int
    internal: bool = False
    balance: int = ONBOARDING_BALANCE
    status: str = "ACTIVE"
    positions: dict[str, Position] = field(default_factory=dict)
    open_orders: dict[str, SimOrder] = field(default_factory=dict)
    open_by_client_id: dict[str, SimOrder] = field(default_factory=dict)
    orders: dict[str, SimOrder] = field(default_factory=dict)  # every order (users only)
    fills: list[dict[str, Any]] = field(default_factory=list)  # FillResult rows
    funding_payments: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)  # TransferResult rows
    liquidations: list[dict[str, Any]] = field(default_factory=list)  # id, hash, created_at
    updated_at: int = 0
    seq_no: int = 0

    def position(self, market: str, new_id: str) -> Position:
        """The account's position in `market`, created flat (with `new_id`) if absent."""
        pos = self.positions.get(market)
        if pos is None:
            pos = self.positions[market] = Position(id=new_id, market=market)
        return pos

    def size(self, market: str) -> int:
        """Signed position size in `market` (0 when none)."""
        pos = self.positions.get(market)
        return pos.size if pos else 0

    def by_client_id(self, client_id: str) -> SimOrder | None:
        """The open order with this client id, else the latest order that had it."""
        order = self.open_by_client_id.get(client_id)
        if order is None:
            order = next(
                (o for o in reversed(self.orders.values()) if o.client_id == client_id), None
            )
        return order

    def open_count(self, market: str) -> int:
        """How many open orders the account has in `market`."""
        return sum(1 for o in self.open_orders.values() if o.market == market)
