"""A fake account feed (the `AccountFeed` the account panels read) and domain rows for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.domain.account import AccountSummary, Fill, FundingPayment, Position
from terminal.domain.orders import Order, OrderStatus, OrderType, Side, TimeInForce

T0 = 1_700_000_000_000


@dataclass
class FakeAccount:
    """The account's state as plain attributes; `notify(kind)` calls the listeners."""

    summary: AccountSummary | None = None
    positions: dict[str, Position] = field(default_factory=dict)
    open_orders: dict[str, Order] = field(default_factory=dict)
    fills: list[Fill] = field(default_factory=list)
    live: bool = True
    listeners: list[Callable[[str], None]] = field(default_factory=list)

    def add_listener(self, callback: Callable[[str], None]) -> None:
        self.listeners.append(callback)

    def notify(self, kind: str) -> None:
        for callback in self.listeners:
            callback(kind)

    def set_live(self, live: bool) -> None:
        """A disconnect (False) or a finished REST re-read (True)."""
        self.live = live
        self.notify("live")

    def put_orders(self, *orders: Order) -> None:
        """The orders stream: working orders kept, closed ones dropped."""
        for order in orders:
            if order.is_working:
                self.open_orders[order.id] = order
            else:
                self.open_orders.pop(order.id, None)
        self.notify("orders")


def make_order(
    order_id: str = "o1",
    *,
    market: str = "BTC-USD-PERP",
    side: Side = Side.BUY,
    type: OrderType = OrderType.LIMIT,
    price: str | None = "67000.5",
    trigger: str | None = None,
    size: str = "0.5",
    remaining: str | None = None,
    status: OrderStatus = OrderStatus.OPEN,
    reason: str = "",
    reduce_only: bool = False,
    at_ms: int = T0,
    seq_no: int = 1,
    client_id: str = "",
) -> Order:
    """An order; every field can be overridden, figures as decimal strings."""
    return Order(
        id=order_id,
        client_id=client_id or f"c-{order_id}",
        market=market,
        side=side,
        type=type,
        instruction=TimeInForce.GTC,
        size=Decimal(size),
        remaining_size=Decimal(size if remaining is None else remaining),
        price=None if price is None else Decimal(price),
        trigger_price=None if trigger is None else Decimal(trigger),
        avg_fill_price=None,
        status=status,
        cancel_reason=reason,
        reduce_only=reduce_only,
        created_at=at_ms,
        updated_at=at_ms,
        seq_no=seq_no,
    )


def make_position(
    market: str = "BTC-USD-PERP",
    size: str = "0.5",
    entry: str = "60000",
    upnl: str = "100",
    *,
    realized: str = "12.5",
    liquidation: str | None = "30000",
    leverage: str | None = "2",
    at_ms: int = T0,
) -> Position:
    """An open position (size signed: + long, − short)."""
    return Position(
        market=market,
        size=Decimal(size),
        average_entry_price=Decimal(entry),
        unrealized_pnl=Decimal(upnl),
        realized_pnl=Decimal(realized),
        liquidation_price=None if liquidation is None else Decimal(liquidation),
        leverage=None if leverage is None else Decimal(leverage),
        status="OPEN",
        updated_at=at_ms,
    )


def make_fill(
    fill_id: str = "f1",
    *,
    market: str = "BTC-USD-PERP",
    side: Side = Side.BUY,
    price: str = "67000.5",
    size: str = "0.25",
    fee: str = "0.4187531",
    liquidity: str = "TAKER",
    fill_type: str = "FILL",
    flags: tuple[str, ...] = (),
    at_ms: int = T0,
) -> Fill:
    """One of the account's fills."""
    return Fill(
        id=fill_id,
        order_id="o1",
        client_id="c1",
        market=market,
        side=side,
        price=Decimal(price),
        size=Decimal(size),
        fee=Decimal(fee),
        liquidity=liquidity,
        realized_pnl=Decimal(0),
        created_at=at_ms,
        fill_type=fill_type,
        flags=flags,
    )


def make_payment(
    payment_id: str = "fp1",
    market: str = "BTC-USD-PERP",
    payment: str = "-0.123456",
    at_ms: int = T0,
) -> FundingPayment:
    """A funding payment (− paid, + received)."""
    return FundingPayment(payment_id, market, Decimal(payment), Decimal("12.5"), at_ms)


def make_summary(
    account_value: str = "10000",
    free: str = "7000",
    initial: str = "3000",
    maintenance: str = "1500",
    status: str = "ACTIVE",
) -> AccountSummary:
    """The account's margin figures."""
    return AccountSummary(
        account="0xabc",
        account_value=Decimal(account_value),
        total_collateral=Decimal(account_value),
        free_collateral=Decimal(free),
        initial_margin=Decimal(initial),
        maintenance_margin=Decimal(maintenance),
        margin_cushion=Decimal(account_value) - Decimal(maintenance),
        status=status,
        updated_at=T0,
    )
