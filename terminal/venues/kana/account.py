"""A read-only watch of one address: the indexer's full lists turned into domain events.

Each `positions` / `open_orders` reply is the address's whole current list (the seed's
first `open_orders` reply is `[]`, its next one the single open order), so what was listed
before and is missing now has gone: a position is reported closed (size 0, "CLOSED"), an
open order CLOSED (why — filled or cancelled — `order_history` tells). `order_history`
rows are reported as they are; `trade_history` rows once each. Positions are keyed by
market and direction: Kana's hedge mode allows a long and a short in one market.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from terminal.domain.account import Fill, Position
from terminal.domain.orders import Order, OrderStatus
from terminal.venues.kana.markets import KanaMarket
from terminal.venues.kana.schemas import OpenOrderRow, OrderHistoryRow, PositionRow, TradeRow

PositionKey = tuple[str, bool]
"""(market id, is long)."""


class KanaAccountWatch:
    """What the indexer says about one address, kept current from its replies."""

    def __init__(self, address: str, markets: Mapping[str, KanaMarket]) -> None:
        self.address = address
        self._markets = markets
        self.positions: dict[PositionKey, Position] = {}
        self.open_orders: dict[str, Order] = {}
        self.order_history: dict[str, Order] = {}
        self.fills: dict[str, Fill] = {}

    def on_positions(self, rows: list[PositionRow]) -> list[Position]:
        """Replace the positions; the changed ones, and the gone ones as closed."""
        listed: dict[PositionKey, Position] = {}
        for row in rows:
            market = self._markets.get(row.market_id)
            if market is not None:
                listed[(row.market_id, row.is_long)] = row.to_domain(market)
        events = [p for k, p in listed.items() if self.positions.get(k) != p]
        for key, gone in self.positions.items():
            if key not in listed:
                events.append(dataclasses.replace(gone, size=Decimal(0), status="CLOSED"))
        self.positions = listed
        return events

    def on_open_orders(self, rows: list[OpenOrderRow]) -> list[Order]:
        """Replace the open orders; the changed ones, and the gone ones as CLOSED."""
        listed = {
            row.order_id: row.to_domain(market)
            for row in rows
            if (market := self._markets.get(row.market_id)) is not None
        }
        events = [o for i, o in listed.items() if self.open_orders.get(i) != o]
        for order_id, gone in self.open_orders.items():
            if order_id not in listed:
                events.append(dataclasses.replace(gone, status=OrderStatus.CLOSED))
        self.open_orders = listed
        return events

    def on_order_history(self, rows: list[OrderHistoryRow]) -> list[Order]:
        """Remember the orders; the ones new or changed."""
        events = []
        for row in rows:
            market = self._markets.get(row.market_id)
            if market is None:
                continue
            order = row.to_domain(market)
            if self.order_history.get(order.id) != order:
                self.order_history[order.id] = order
                events.append(order)
        return events

    def on_trades(self, rows: list[TradeRow]) -> list[Fill]:
        """Remember the fills; the ones not seen before."""
        events = []
        for row in rows:
            market = self._markets.get(row.market_id)
            if market is None:
                continue
            fill = row.to_domain(market)
            if fill.id not in self.fills:
                self.fills[fill.id] = fill
                events.append(fill)
        return events
