"""Shared helpers for the view-model and widget tests: instruments, books, trades."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import BookUpdate, MarketSummary, Trade
from terminal.domain.orderbook import OrderBook
from terminal.domain.orders import Side
from terminal.domain.units import units_from_str


def make_instrument(
    symbol: str = "BTC-USD-PERP", tick: str = "0.1", step: str = "0.001"
) -> Instrument:
    """A perpetual with the given tick and step."""
    base = symbol.split("-")[0]
    return Instrument(
        symbol=symbol,
        base_currency=base,
        quote_currency="USD",
        settlement_currency="USDC",
        tick_size=Decimal(tick),
        step_size=Decimal(step),
        min_notional=Decimal(10),
        max_order_size=Decimal(100),
        position_limit=Decimal(1000),
        max_open_orders=100,
        price_bands_width=Decimal("0.05"),
        max_slippage=Decimal("0.05"),
        funding_period_hours=8,
    )


def lv(price: str, size: str) -> tuple[int, int]:
    """One level in integer units from decimal strings."""
    return units_from_str(price), units_from_str(size)


def make_book(
    bids: list[tuple[str, str]],
    asks: list[tuple[str, str]],
    market: str = "BTC-USD-PERP",
    seq_no: int = 1,
) -> OrderBook:
    """A live book from one snapshot given as decimal strings."""
    book = OrderBook(market)
    book.apply(
        BookUpdate(
            market=market,
            seq_no=seq_no,
            is_snapshot=True,
            bids=[lv(p, s) for p, s in bids],
            asks=[lv(p, s) for p, s in asks],
            timestamp_ms=1_700_000_000_000,
        )
    )
    return book


def make_trade(
    price: str,
    size: str = "0.5",
    side: Side = Side.BUY,
    at_ms: int = 1_700_000_000_000,
    market: str = "BTC-USD-PERP",
    trade_id: str = "t",
) -> Trade:
    """A public trade."""
    return Trade(
        id=trade_id,
        market=market,
        side=side,
        price=Decimal(price),
        size=Decimal(size),
        created_at=at_ms,
        trade_type="FILL",
    )


def make_summary(market: str = "BTC-USD-PERP", last: str = "100", **kw: str) -> MarketSummary:
    """A market summary; any field can be overridden by keyword (as a decimal string)."""
    fields = {
        "mark_price": last,
        "index_price": last,
        "last_price": last,
        "volume_24h": "1000000",
        "open_interest": "12.5",
        "funding_rate": "0.0001",
        "price_change_rate_24h": "0.0123",
    }
    fields.update(kw)
    return MarketSummary(
        market=market,
        bid=None,
        ask=None,
        timestamp_ms=1_700_000_000_000,
        **{k: Decimal(v) for k, v in fields.items()},  # type: ignore[arg-type]
    )


# The offscreen platform plugin says these whenever a top-level window (a tooltip too) is
# shown or raised; they are about the test platform, not about our code.
PLATFORM_NOISE = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings(qapp: object) -> Iterator[list[str]]:
    """Any Qt warning (or worse) emitted during a test fails it, as in qutebrowser."""
    seen: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        serious = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if kind in serious and message not in PLATFORM_NOISE:
            seen.append(message)
        else:
            logging.getLogger("qt").debug(message)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    assert seen == [], f"Qt warnings: {seen}"
