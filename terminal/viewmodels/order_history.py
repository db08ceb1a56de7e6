"""Order history, read over REST on demand: how each order ended, and why, in words."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QObject, QTimer

from terminal.domain.cancel_reasons import describe_cancel_reason, is_rejection
from terminal.domain.orders import Order, OrderStatus
from terminal.viewmodels.blotter import (
    BlotterModel,
    figure_column,
    side_text,
    side_tone,
    text_column,
    time_column,
)
from terminal.viewmodels.columns import Column
from terminal.viewmodels.orders import order_status_text, order_type_text
from terminal.viewmodels.throttle import FRAME_MS


def order_outcome(order: Order) -> str:
    """ "Filled", "Partly filled", "Rejected", "Cancelled", or the working status."""
    if order.status is not OrderStatus.CLOSED:
        return order_status_text(order)
    if order.remaining_size == 0:
        return "Filled"
    if order.filled_size > 0:
        return "Partly filled"
    return "Rejected" if is_rejection(order.cancel_reason) else "Cancelled"


def _outcome_tone(order: Order) -> str | None:
    return "down" if order_outcome(order) == "Rejected" else None


class OrderHistoryModel(BlotterModel[Order]):
    """Past orders, newest first: time, market, side, type, price, trigger, size, filled,
    average fill price, outcome, client id, the cancel reason in words.

    Fed with `set_rows(orders)` by whoever fetches `GET /orders-history`.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        def price(order: Order, value: Decimal) -> str:
            return self.format.price(order.market, value)

        def size(order: Order, value: Decimal) -> str:
            return self.format.size(order.market, value)

        columns: tuple[Column[Order], ...] = (
            time_column("Time", lambda o: o.created_at),
            text_column("Market", lambda o: o.market),
            text_column("Side", lambda o: side_text(o.side), lambda o: side_tone(o.side)),
            text_column("Type", order_type_text),
            figure_column("Price", lambda o: o.price, price),
            figure_column("Trigger", lambda o: o.trigger_price, price),
            figure_column("Size", lambda o: o.size, size),
            figure_column("Filled", lambda o: o.filled_size, size),
            figure_column("Avg price", lambda o: o.avg_fill_price, price),
            text_column("Outcome", order_outcome, _outcome_tone),
            text_column("Client id", lambda o: o.client_id),
            text_column("Reason", lambda o: describe_cancel_reason(o.cancel_reason)),
        )
        super().__init__(columns, lambda o: o.id, parent, interval_ms=interval_ms, timer=timer)
