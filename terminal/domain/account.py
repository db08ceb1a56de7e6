"""An account's state: summary, positions, fills, funding payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.orders import Side


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """Margin figures for one account (Paradex `GET /account`)."""

    account: str
    account_value: Decimal
    total_collateral: Decimal
    free_collateral: Decimal
    initial_margin: Decimal
    maintenance_margin: Decimal
    margin_cushion: Decimal
    status: str
    updated_at: int


@dataclass(frozen=True, slots=True)
class Position:
    """An open (or just closed) position; `size` is signed: + long, − short."""

    market: str
    size: Decimal
    average_entry_price: Decimal
    unrealized_pnl: Decimal
    realized_pnl: Decimal
    liquidation_price: Decimal | None
    leverage: Decimal | None
    status: str
    updated_at: int

    @property
    def is_long(self) -> bool:
        """Whether the position is long."""
        return self.size > 0


@dataclass(frozen=True, slots=True)
class Fill:
    """One of the account's own executions."""

    id: str
    order_id: str
    client_id: str
    market: str
    side: Side
    price: Decimal
    size: Decimal
    fee: Decimal
    liquidity: str
    realized_pnl: Decimal
    created_at: int
    fill_type: str = "FILL"
    """`FILL`, or what else made the trade: `LIQUIDATION`, `SETTLE_MARKET`, `RPI`, ..."""
    flags: tuple[str, ...] = ()
    """The venue's fill flags, such as `interactive`, `rpi`, `fastfill`."""


@dataclass(frozen=True, slots=True)
class FundingPayment:
    """A funding payment credited (+) or debited (−) to the account."""

    id: str
    market: str
    payment: Decimal
    index: Decimal
    created_at: int


@dataclass(frozen=True, slots=True)
class Balance:
    """Settlement-token balance."""

    token: str
    size: Decimal
    updated_at: int
