"""The trader's own working orders on the ladder's rows: which row, which side, how much.

Orders are placed on the row grid as the book is (bids round down, asks round up), so an
order sits on the row whose price level it would join. A conditional order without a
limit price sits at its trigger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QObject, Signal

from terminal.domain.orders import Order, Side
from terminal.domain.units import units_from_decimal
from terminal.viewmodels.formatting import decimals_of, format_decimal


@dataclass(frozen=True, slots=True)
class OwnLevel:
    """The trader's orders of one side on one row."""

    side: Side
    size_text: str
    order_ids: tuple[str, ...]
    conditional: bool


class LadderOrders(QObject):
    """Working orders of the ladder's market, bucketed by row for painting and dragging."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._market = ""
        self._size_decimals = 3
        self._orders: list[Order] = []
        self._rows: dict[tuple[int, Side], OwnLevel] = {}
        self._step = 0

    @property
    def orders(self) -> list[Order]:
        """The market's working orders."""
        return list(self._orders)

    def set_market(self, market: str, step_size: Decimal) -> None:
        """Follow another market's orders."""
        self._market = market
        self._size_decimals = decimals_of(step_size)
        self._orders = []
        self._invalidate()

    def set_orders(self, orders: Iterable[Order]) -> None:
        """Every working order (any market; the ladder's market is kept)."""
        mine = [o for o in orders if o.market == self._market and o.is_working]
        if mine != self._orders:
            self._orders = mine
            self._invalidate()

    def order(self, order_id: str) -> Order | None:
        """One of the market's working orders by id."""
        return next((o for o in self._orders if o.id == order_id), None)

    def at_row(self, price_units: int, step_units: int) -> list[OwnLevel]:
        """The own orders on the row at `price_units` when rows are `step_units` apart."""
        if step_units != self._step:
            self._bucket(step_units)
        return [
            level
            for side in (Side.BUY, Side.SELL)
            if (level := self._rows.get((price_units, side))) is not None
        ]

    def _invalidate(self) -> None:
        self._step = 0
        self._rows = {}
        self.changed.emit()

    def _bucket(self, step: int) -> None:
        sizes: dict[tuple[int, Side], tuple[Decimal, list[str], bool]] = {}
        for order in self._orders:
            price = order.price if order.price is not None else order.trigger_price
            if price is None:
                continue
            units = units_from_decimal(price)
            row = (units // step) * step if order.side is Side.BUY else -(-units // step) * step
            size, ids, conditional = sizes.get((row, order.side), (Decimal(0), [], False))
            ids.append(order.id)
            sizes[(row, order.side)] = (
                size + order.remaining_size,
                ids,
                conditional or order.type.is_conditional,
            )
        self._rows = {
            key: OwnLevel(key[1], format_decimal(size, self._size_decimals), tuple(ids), cond)
            for key, (size, ids, cond) in sizes.items()
        }
        self._step = step
