"""The indexer's WebSocket messages (seeds/004) as frozen structs, and their domain objects.

Every reply is `{"data": [...], "message": topic}`. Rows carry integers as strings: prices
in ticks, sizes in lots, money in quote subunits, times in epoch seconds (`units`).
`order_type` is not documented; the seed's rows agree with 1 open long, 2 open short,
3 close long, 4 close short (README).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from terminal.domain.account import Fill, Position
from terminal.domain.orders import Order, OrderStatus, OrderType, Side, TimeInForce
from terminal.venues.kana.errors import KanaDecodeError
from terminal.venues.kana.markets import KanaMarket
from terminal.venues.kana.units import parse_amount, parse_count

ORDERBOOK = "orderbook"
POSITIONS = "positions"
TRADE_HISTORY = "trade_history"
OPEN_ORDERS = "open_orders"
ORDER_HISTORY = "order_history"
ADDRESS_TOPICS = (POSITIONS, TRADE_HISTORY, OPEN_ORDERS, ORDER_HISTORY)

# order_type → (side, closes a position)
_ORDER_TYPES = {
    1: (Side.BUY, False),
    2: (Side.SELL, False),
    3: (Side.SELL, True),
    4: (Side.BUY, True),
}
# order_history statuses that leave an order working (the seed shows "Open" and "Filled")
_WORKING = frozenset({"Open", "Partially Filled", "PartiallyFilled"})


def _side(order_type: int) -> tuple[Side, bool]:
    try:
        return _ORDER_TYPES[order_type]
    except KeyError:
        raise KanaDecodeError("DECODE", f"unknown order_type {order_type}") from None


def _ms(seconds: str) -> int:
    return parse_count(seconds) * 1000


class Envelope(msgspec.Struct, frozen=True):
    """Any reply: the topic in `message`, its rows left raw for the topic's decoder."""

    message: str
    data: msgspec.Raw = msgspec.Raw(b"null")


class BookLevel(msgspec.Struct, frozen=True, gc=False):
    """One price level of an `orderbook` reply."""

    is_ask: bool
    market_id: str
    price: str
    size: str
    last_updated: str = "0"


class PositionRow(msgspec.Struct, frozen=True):
    """One position of a `positions` reply."""

    address: str
    market_id: str
    is_long: bool
    size: str
    entry_price: str
    last_updated: str
    leverage: int = 0
    liq_price: str | None = None
    margin: str = "0"
    value: str = "0"
    trade_id: str = ""
    sl: str | None = None
    tp: str | None = None

    def to_domain(self, market: KanaMarket) -> Position:
        """A `Position`: signed size; Kana reports no P&L, so both are zero."""
        units = market.units
        size = units.size(parse_count(self.size))
        return Position(
            market=market.symbol,
            size=size if self.is_long else -size,
            average_entry_price=units.price(parse_amount(self.entry_price)),
            unrealized_pnl=Decimal(0),
            realized_pnl=Decimal(0),
            liquidation_price=(
                units.price(parse_amount(self.liq_price)) if self.liq_price is not None else None
            ),
            leverage=Decimal(self.leverage) if self.leverage else None,
            status="OPEN",
            updated_at=_ms(self.last_updated),
        )


class TradeRow(msgspec.Struct, frozen=True):
    """One fill of a `trade_history` reply."""

    address: str
    market_id: str
    order_type: int
    price: str
    size: str
    timestamp: str
    trade_id: str
    fee: str = "0"
    pnl: str = "0"
    last_updated: str = "0"

    def to_domain(self, market: KanaMarket) -> Fill:
        """A `Fill`; its id is the trade id plus the time (one trade id spans a position)."""
        units = market.units
        side, _ = _side(self.order_type)
        return Fill(
            id=f"{self.trade_id}@{self.timestamp}:{self.order_type}",
            order_id="",
            client_id="",
            market=market.symbol,
            side=side,
            price=units.price(parse_count(self.price)),
            size=units.size(parse_count(self.size)),
            fee=units.quote(parse_amount(self.fee)),
            liquidity="",
            realized_pnl=units.quote(parse_amount(self.pnl)),
            created_at=_ms(self.timestamp),
        )


class OpenOrderRow(msgspec.Struct, frozen=True):
    """One resting order of an `open_orders` reply."""

    address: str
    market_id: str
    order_id: str
    order_type: int
    price: str
    total_size: str
    remaining_size: str
    timestamp: str
    last_updated: str
    leverage: int = 0
    order_value: str = "0"
    trade_id: str = ""

    def to_domain(self, market: KanaMarket) -> Order:
        """An OPEN limit `Order` (only limit orders rest)."""
        side, closes = _side(self.order_type)
        units = market.units
        return _order(
            self.order_id,
            market,
            side,
            OrderType.LIMIT,
            units.size(parse_count(self.total_size)),
            units.size(parse_count(self.remaining_size)),
            units.price(parse_count(self.price)),
            OrderStatus.OPEN,
            "",
            closes,
            _ms(self.timestamp),
            _ms(self.last_updated),
        )


class OrderHistoryRow(msgspec.Struct, frozen=True):
    """One order of an `order_history` reply, with its status ("Open", "Filled", ...)."""

    address: str
    market_id: str
    order_id: str
    order_type: int
    price: str
    size: str
    status: str
    timestamp: str
    last_updated: str
    is_market_order: bool = False
    leverage: int = 0
    order_value: str = "0"
    trade_id: str = ""

    def to_domain(self, market: KanaMarket) -> Order:
        """An `Order`; a closed one left nothing to fill, and says why unless it filled."""
        side, closes = _side(self.order_type)
        units = market.units
        size = units.size(parse_count(self.size))
        working = self.status in _WORKING
        return _order(
            self.order_id,
            market,
            side,
            OrderType.MARKET if self.is_market_order else OrderType.LIMIT,
            size,
            size if working else Decimal(0),
            units.price(parse_count(self.price)),
            OrderStatus.OPEN if working else OrderStatus.CLOSED,
            "" if working or self.status == "Filled" else self.status.upper(),
            closes,
            _ms(self.timestamp),
            _ms(self.last_updated),
        )


def _order(
    order_id: str,
    market: KanaMarket,
    side: Side,
    order_type: OrderType,
    size: Decimal,
    remaining: Decimal,
    price: Decimal,
    status: OrderStatus,
    cancel_reason: str,
    reduce_only: bool,
    created_at: int,
    updated_at: int,
) -> Order:
    return Order(
        id=order_id,
        client_id="",
        market=market.symbol,
        side=side,
        type=order_type,
        instruction=TimeInForce.GTC,
        size=size,
        remaining_size=remaining,
        price=price,
        trigger_price=None,
        avg_fill_price=None,
        status=status,
        cancel_reason=cancel_reason,
        reduce_only=reduce_only,
        created_at=created_at,
        updated_at=updated_at,
        # Kana has no sequence numbers; its update time orders an order's versions.
        seq_no=updated_at,
    )


DECODERS: dict[str, msgspec.json.Decoder[Any]] = {
    ORDERBOOK: msgspec.json.Decoder(list[BookLevel]),
    POSITIONS: msgspec.json.Decoder(list[PositionRow]),
    TRADE_HISTORY: msgspec.json.Decoder(list[TradeRow]),
    OPEN_ORDERS: msgspec.json.Decoder(list[OpenOrderRow]),
    ORDER_HISTORY: msgspec.json.Decoder(list[OrderHistoryRow]),
}
"""Each topic's decoder of the `data` list."""
ENVELOPE = msgspec.json.Decoder(Envelope)
