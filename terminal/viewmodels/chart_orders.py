"""What the chart draws of the trader's own trading: working orders, entry, liquidation.

Lines carry a float only for drawing; a dragged order line comes back as a float and is
turned here into a price on the tick (`Decimal`) before anything is asked of the venue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from terminal.domain.account import Position
from terminal.domain.instruments import Instrument
from terminal.domain.orders import Order, OrderType, Side
from terminal.viewmodels.formatting import decimals_of, format_decimal


class LineKind(StrEnum):
    """What a horizontal line on the price plot means."""

    BUY = "buy"
    SELL = "sell"
    ENTRY = "entry"
    LIQUIDATION = "liquidation"


@dataclass(frozen=True, slots=True)
class ChartLine:
    """One horizontal line: where (for drawing), what, its label, and its order if any."""

    kind: LineKind
    y: float
    label: str
    order_id: str = ""

    @property
    def movable(self) -> bool:
        """Order lines can be dragged to a new price; position lines cannot."""
        return bool(self.order_id)


class ChartOrdersModel(QObject):
    """Lines for the chart's market; turns drags and cancels into intents."""

    changed = Signal()
    modify_requested = Signal(str, object)
    """(order id, new Decimal price on the tick)"""
    cancel_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._instrument: Instrument | None = None
        self._orders: list[Order] = []
        self._position: Position | None = None
        self.lines: list[ChartLine] = []

    def set_instrument(self, instrument: Instrument) -> None:
        """Follow another market."""
        self._instrument = instrument
        self._orders, self._position = [], None
        self._rebuild()

    def set_orders(self, orders: Iterable[Order]) -> None:
        """Every working order (the chart's market is kept)."""
        market = self._instrument.symbol if self._instrument else ""
        mine = [o for o in orders if o.market == market and o.is_working]
        if mine != self._orders:
            self._orders = mine
            self._rebuild()

    def set_position(self, position: Position | None) -> None:
        """The position in the chart's market (None: flat)."""
        if position != self._position:
            self._position = position
            self._rebuild()

    def drag_finished(self, order_id: str, y: float) -> None:
        """An order line was dropped at `y`: ask to move the order to that price."""
        inst = self._instrument
        order = next((o for o in self._orders if o.id == order_id), None)
        if inst is None or order is None or order.price is None or y <= 0:
            return
        price = inst.round_price(Decimal(repr(y)), order.side)
        if price != order.price and price > 0:
            self.modify_requested.emit(order_id, price)
        else:
            self.changed.emit()  # snap the line back

    def cancel(self, order_id: str) -> None:
        """The trader asked to cancel the order of a line."""
        self.cancel_requested.emit(order_id)

    def _rebuild(self) -> None:
        lines = [*self._order_lines(), *self._position_lines()]
        # Positions update with every mark; the lines only when a price or size moved.
        if lines != self.lines:
            self.lines = lines
            self.changed.emit()

    def _order_lines(self) -> list[ChartLine]:
        inst = self._instrument
        if inst is None:
            return []
        lines = []
        for order in self._orders:
            price = order.price if order.price is not None else order.trigger_price
            if price is None:
                continue
            kind = LineKind.BUY if order.side is Side.BUY else LineKind.SELL
            kind_word = "" if order.type is OrderType.LIMIT else f" {order.type.value.lower()}"
            label = (
                f"{'B' if order.side is Side.BUY else 'S'} {order.remaining_size}{kind_word} "
                f"@ {self._price(price)}"
            )
            lines.append(ChartLine(kind, float(price), label, order.id))
        return lines

    def _position_lines(self) -> list[ChartLine]:
        pos = self._position
        if pos is None or pos.size == 0:
            return []
        side = "long" if pos.size > 0 else "short"
        lines = [
            ChartLine(
                LineKind.ENTRY,
                float(pos.average_entry_price),
                f"entry {side} {abs(pos.size)} @ {self._price(pos.average_entry_price)}",
            )
        ]
        if pos.liquidation_price:
            lines.append(
                ChartLine(
                    LineKind.LIQUIDATION,
                    float(pos.liquidation_price),
                    f"liquidation {self._price(pos.liquidation_price)}",
                )
            )
        return lines

    def _price(self, price: Decimal) -> str:
        tick = self._instrument.tick_size if self._instrument else Decimal("0.01")
        return format_decimal(price, decimals_of(tick))
