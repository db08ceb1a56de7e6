"""Open orders: the account's working orders, live, with cancel and edit-in-place as intents.

The model never calls a venue: a cancel or an edited price or size leaves as a signal
(`cancel_requested`, `modify_requested`) for the trading service, which validates against
the market's tick and step and sends. The row changes when the venue says it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from terminal.domain.orders import Order, OrderStatus
from terminal.viewmodels.account_blotter import AccountBlotterModel
from terminal.viewmodels.account_source import AccountFeed
from terminal.viewmodels.blotter import (
    figure_column,
    side_text,
    side_tone,
    text_column,
)
from terminal.viewmodels.clock import Clock, wall_clock_ms
from terminal.viewmodels.columns import AnyIndex, Column
from terminal.viewmodels.formatting import format_age, format_exact
from terminal.viewmodels.throttle import FRAME_MS

AGE_TICK_MS = 1000
"""The age column counts seconds: one ranged repaint of it per second."""


def order_type_text(order: Order) -> str:
    """ "Limit", "Stop market", "Take profit limit", ..."""
    return order.type.value.replace("_", " ").capitalize()


def order_status_text(order: Order) -> str:
    """ "New", "Untriggered", "Open" or "Partial" (open and partly filled)."""
    if order.status is OrderStatus.OPEN and order.filled_size > 0:
        return "Partial"
    return order.status.value.capitalize()


def parse_positive(text: str) -> Decimal | None:
    """A typed price or size as a Decimal > 0 ("67,000.5" reads as 67000.5), else None."""
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


class OpenOrdersModel(AccountBlotterModel[Order]):
    """Working orders, newest first: market, side, type, price, trigger, size, filled,
    status, age, reduce-only, client id. Price and size are editable in place.

    Signals carry Decimals as exact strings:
    `cancel_requested(order_id)`, `modify_requested(order_id, price, size)` (price "" for
    an order without a limit price, such as a stop market),
    `edit_rejected(order_id, message)` when a typed value is not a number above zero.
    """

    cancel_requested = Signal(str)
    modify_requested = Signal(str, str, str)
    edit_rejected = Signal(str, str)

    def __init__(
        self,
        account: AccountFeed,
        parent: QObject | None = None,
        *,
        clock: Clock = wall_clock_ms,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
        age_timer: QTimer | None = None,
    ) -> None:
        def fmt_price(order: Order, value: Decimal) -> str:
            return self.format.price(order.market, value)

        def fmt_size(order: Order, value: Decimal) -> str:
            return self.format.size(order.market, value)

        columns: tuple[Column[Order], ...] = (
            text_column("Market", lambda o: o.market),
            text_column("Side", lambda o: side_text(o.side), lambda o: side_tone(o.side)),
            text_column("Type", order_type_text),
            figure_column("Price", lambda o: o.price, fmt_price),
            figure_column("Trigger", lambda o: o.trigger_price, fmt_price),
            figure_column("Size", lambda o: o.size, fmt_size),
            figure_column("Filled", lambda o: o.filled_size, fmt_size),
            text_column("Status", order_status_text),
            Column(
                "Age",
                lambda o: format_age(self._clock() - o.created_at),
                lambda o: -o.created_at,
                export=lambda o: str((self._clock() - o.created_at) // 1000),
            ),
            text_column("Reduce-only", lambda o: "Yes" if o.reduce_only else ""),
            text_column("Client id", lambda o: o.client_id),
        )
        self._clock = clock  # before the base's constructor: its first re-read may show ages
        super().__init__(
            columns, lambda o: o.id, account, "orders", parent, interval_ms=interval_ms, timer=timer
        )
        titles = [column.title for column in columns]
        self.price_column = titles.index("Price")
        self.size_column = titles.index("Size")
        self._age_column = titles.index("Age")
        self._age_timer = age_timer if age_timer is not None else QTimer(self)
        self._age_timer.timeout.connect(self._tick_ages)
        self._age_timer.start(AGE_TICK_MS)

    def current_rows(self) -> Sequence[Order]:
        return sorted(self.account.open_orders.values(), key=lambda o: -o.created_at)

    def request_cancel(self, row: int) -> None:
        """Ask for the order at `row` to be cancelled."""
        self.cancel_requested.emit(self._rows[row].id)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.EditRole and index.isValid():
            # The editor starts from the exact figure, not the rounded, grouped display.
            value = self._edit_value(self._rows[index.row()], index.column())
            return None if value is None else format_exact(value)
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An edited price or size becomes `modify_requested`; the row itself stays as the
        venue last reported it until the venue confirms the change."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self._editable(index.row(), index.column()):
            return False
        order = self._rows[index.row()]
        typed = parse_positive(str(value))
        if typed is None:
            what = "price" if index.column() == self.price_column else "size"
            self.edit_rejected.emit(order.id, f"The {what} must be a number above zero: {value}")
            return False
        if typed == self._edit_value(order, index.column()):
            return False
        price = typed if index.column() == self.price_column else order.price
        size = typed if index.column() == self.size_column else order.size
        price_text = "" if price is None else format_exact(price)
        self.modify_requested.emit(order.id, price_text, format_exact(size))
        return True

    def _editable(self, row: int, column: int) -> bool:
        if row >= len(self._rows):
            return False
        return self._edit_value(self._rows[row], column) is not None

    def _edit_value(self, order: Order, column: int) -> Decimal | None:
        if column == self.price_column:
            return order.price  # None for market orders: nothing to edit
        if column == self.size_column:
            return order.size
        return None

    def _tick_ages(self) -> None:
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, self._age_column), self.index(last, self._age_column)
            )
