"""The decoder on the seed's exact example messages (seeds/004)."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from terminal.domain.orders import OrderStatus, OrderType, Side
from terminal.domain.units import units_from_str
from terminal.venues.kana.account import KanaAccountWatch
from terminal.venues.kana.book import BookAssembler
from terminal.venues.kana.markets import KanaMarket
from terminal.venues.kana.schemas import DECODERS, ENVELOPE, BookLevel
from terminal.venues.kana.session import TopicKey

from .conftest import ADDRESS, SEED_MESSAGES, SEED_REQUESTS

POSITIONS, TRADES, NO_ORDERS, OPEN_ORDER, ORDER_HISTORY, BOOK = SEED_MESSAGES


def rows(raw: str) -> list[object]:
    envelope = ENVELOPE.decode(raw)
    return DECODERS[envelope.message].decode(envelope.data)


def test_subscribe_requests_are_the_seeds() -> None:
    ours = [
        TopicKey(t, ADDRESS).request()
        for t in ("positions", "trade_history", "open_orders", "order_history")
    ]
    ours.append(TopicKey("orderbook", "396").request())
    assert ours == SEED_REQUESTS


def test_positions(apt: KanaMarket) -> None:
    watch = KanaAccountWatch(ADDRESS, {"396": apt})
    (position,) = watch.on_positions(rows(POSITIONS))
    assert position.market == "APT-USDC-PERP"
    assert position.size == Decimal("-1")  # 1000 lots of 0.001 APT, short
    assert position.average_entry_price == Decimal("6.05")
    assert position.liquidation_price == Decimal("8.853658536585366")
    assert position.leverage == 2
    assert position.updated_at == 1739788459000
    # value "6050000" = 6.05 USDC: entry price × size, so the scales read it right.
    assert apt.units.quote(6050000) == position.average_entry_price * -position.size


def test_trade_history_example_is_not_json_as_printed() -> None:
    # The seed's trade_history line opens a list it never closes (`"data":[{…},"message"`).
    with pytest.raises(msgspec.DecodeError):
        ENVELOPE.decode(TRADES)


def test_trade_history_with_its_bracket_closed(apt: KanaMarket) -> None:
    repaired = TRADES.replace('},"message"', '}],"message"')
    watch = KanaAccountWatch(ADDRESS, {"396": apt})
    (fill,) = watch.on_trades(rows(repaired))
    assert (fill.side, fill.price, fill.size) == (Side.SELL, Decimal("6.05"), Decimal("1"))
    assert fill.fee == Decimal("0.003025") and fill.realized_pnl == 0
    assert fill.created_at == 1739788459000
    assert watch.on_trades(rows(repaired)) == []  # once each


def test_open_orders_list_replaces_the_last(apt: KanaMarket) -> None:
    watch = KanaAccountWatch(ADDRESS, {"396": apt})
    assert watch.on_open_orders(rows(NO_ORDERS)) == []
    (order,) = watch.on_open_orders(rows(OPEN_ORDER))
    assert order.id == "12907057702855018828273522"
    assert (order.side, order.type, order.status) == (Side.BUY, OrderType.LIMIT, OrderStatus.OPEN)
    assert (order.price, order.size, order.remaining_size) == (
        Decimal("6.002"),
        Decimal("1"),
        Decimal("1"),
    )
    (gone,) = watch.on_open_orders(rows(NO_ORDERS))
    assert gone.id == order.id and gone.status is OrderStatus.CLOSED


def test_order_history(apt: KanaMarket) -> None:
    watch = KanaAccountWatch(ADDRESS, {"396": apt})
    opened, closed = watch.on_order_history(rows(ORDER_HISTORY))
    assert opened.status is OrderStatus.OPEN and opened.side is Side.BUY
    # order_type 4 closes a short: a buy, reduce-only, and "Filled" leaves nothing working.
    assert (closed.side, closed.reduce_only, closed.status) == (Side.BUY, True, OrderStatus.CLOSED)
    assert closed.remaining_size == 0 and closed.cancel_reason == ""


def test_orderbook_reply_is_a_full_snapshot(apt: KanaMarket) -> None:
    levels = rows(BOOK)
    assert all(isinstance(level, BookLevel) for level in levels)
    update = BookAssembler(apt, lambda: 0).update(levels)
    assert update.is_snapshot and update.seq_no == 1 and update.market == "APT-USDC-PERP"
    assert len(update.asks) == 9 and len(update.bids) == 10
    assert update.asks[0] == (units_from_str("6.036"), units_from_str("169.32"))
    assert max(update.bids) == (units_from_str("6.031"), units_from_str("174.998"))
    assert update.timestamp_ms == 1739790996000


def test_a_reply_with_a_zero_size_is_a_change_set(apt: KanaMarket) -> None:
    assembler = BookAssembler(apt, lambda: 5)
    snapshot = assembler.update(rows(BOOK))
    delete = BookLevel(is_ask=True, market_id="396", price="6036", size="0")
    update = assembler.update([delete])
    assert not update.is_snapshot and update.seq_no == snapshot.seq_no + 1
    assert update.asks == [(units_from_str("6.036"), 0)] and update.timestamp_ms == 5
