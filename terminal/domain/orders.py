"""Orders: the vocabulary (sides, types, instructions, statuses) and an order's snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Side(StrEnum):
    """Order or aggressor side, spelled as on the wire."""

    BUY = "BUY"
    SELL = "SELL"

    @property
    def opposite(self) -> Side:
        """The other side."""
        return Side.SELL if self is Side.BUY else Side.BUY


class OrderType(StrEnum):
    """Paradex order types (the signed `orderType` string)."""

    LIMIT = "LIMIT"
    MARKET = "MARKET"
    STOP_LIMIT = "STOP_LIMIT"
    STOP_MARKET = "STOP_MARKET"
    TAKE_PROFIT_LIMIT = "TAKE_PROFIT_LIMIT"
    TAKE_PROFIT_MARKET = "TAKE_PROFIT_MARKET"
    STOP_LOSS_LIMIT = "STOP_LOSS_LIMIT"
    STOP_LOSS_MARKET = "STOP_LOSS_MARKET"

    @property
    def is_market(self) -> bool:
        """Whether the order executes without a limit price once live."""
        return self.value.endswith("MARKET")

    @property
    def is_conditional(self) -> bool:
        """Whether the order waits for a trigger price."""
        return self not in (OrderType.LIMIT, OrderType.MARKET)


class TimeInForce(StrEnum):
    """The order `instruction`."""

    GTC = "GTC"
    IOC = "IOC"
    POST_ONLY = "POST_ONLY"
    RPI = "RPI"


class OrderStatus(StrEnum):
    """Lifecycle: NEW → (UNTRIGGERED) → OPEN → CLOSED."""

    NEW = "NEW"
    UNTRIGGERED = "UNTRIGGERED"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class StpMode(StrEnum):
    """Self-trade prevention modes."""

    EXPIRE_TAKER = "EXPIRE_TAKER"
    EXPIRE_MAKER = "EXPIRE_MAKER"
    EXPIRE_BOTH = "EXPIRE_BOTH"


@dataclass(frozen=True, slots=True)
class Order:
    """An order as the venue last reported it."""

    id: str
    client_id: str
    market: str
    side: Side
    type: OrderType
    instruction: TimeInForce
    size: Decimal
    remaining_size: Decimal
    price: Decimal | None
    trigger_price: Decimal | None
    avg_fill_price: Decimal | None
    status: OrderStatus
    cancel_reason: str
    reduce_only: bool
    created_at: int
    updated_at: int
    seq_no: int

    @property
    def filled_size(self) -> Decimal:
        """How much of the order has traded."""
        return self.size - self.remaining_size

    @property
    def is_working(self) -> bool:
        """Whether the order can still trade or trigger."""
        return self.status is not OrderStatus.CLOSED


@dataclass(frozen=True, slots=True)
class NewOrder:
    """An order to place. `price` is the limit price (ignored for *_MARKET types)."""

    market: str
    side: Side
    type: OrderType
    size: Decimal
    price: Decimal | None = None
    instruction: TimeInForce = TimeInForce.GTC
    client_id: str = ""
    trigger_price: Decimal | None = None
    reduce_only: bool = False
    stp: StpMode | None = None
    recv_window: int | None = None

    def describe(self) -> str:
        """The order in a trader's words: "BUY 0.01 BTC-USD-PERP LIMIT @ 67000.0"."""
        price = "" if self.price is None else f" @ {self.price}"
        trigger = "" if self.trigger_price is None else f" trigger {self.trigger_price}"
        flags = " reduce-only" if self.reduce_only else ""
        return f"{self.side} {self.size} {self.market} {self.type}{price}{trigger}{flags}"


@dataclass(frozen=True, slots=True)
class OrderAck:
    """A venue's answer to a place or modify, with what it cost to get it."""

    order: Order
    sign_ms: float
    """Time spent signing the request."""
    rtt_ms: float
    """Time from sending the request to its answer."""
