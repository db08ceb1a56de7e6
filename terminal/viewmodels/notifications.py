"""The notifications log: every order event and warning in words, newest first, bounded.

Order events are derived from successive states of each order (the orders stream):
NEW → OPEN is "accepted", a growing filled size is a (partial) fill, CLOSED says why —
"rejected" when the venue's checks refused it before anything traded.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.cancel_reasons import USER_CANCELED, describe_cancel_reason, is_rejection
from terminal.domain.orders import Order, OrderStatus
from terminal.viewmodels.blotter import BlotterModel, side_text, text_column, time_column
from terminal.viewmodels.clock import Clock, wall_clock_ms
from terminal.viewmodels.columns import Column
from terminal.viewmodels.formatting import format_exact
from terminal.viewmodels.throttle import FRAME_MS

DEFAULT_CAPACITY = 500
CLOSED_MEMORY = 1000
"""Closed orders remembered so a repeated final state (a replay, a reconciliation) is not
logged twice."""


class Level(StrEnum):
    """How much a notice matters; the log colours it."""

    INFO = "info"
    FILL = "fill"
    WARNING = "warning"
    ERROR = "error"


LEVEL_TONES = {Level.FILL: "up", Level.WARNING: "warn", Level.ERROR: "down"}


@dataclass(frozen=True, slots=True)
class Notice:
    """One line of the log."""

    number: int
    at_ms: int
    level: Level
    text: str
    market: str = ""


def order_label(order: Order) -> str:
    """ "Buy 0.5 BTC-USD-PERP limit @ 67000.5" — what the order was, in one phrase."""
    kind = order.type.value.replace("_", " ").lower()
    price = "" if order.price is None else f" @ {format_exact(order.price)}"
    return f"{side_text(order.side)} {format_exact(order.size)} {order.market} {kind}{price}"


NOTICE_COLUMNS: tuple[Column[Notice], ...] = (
    time_column("Time", lambda n: n.at_ms),
    text_column("Level", lambda n: n.level.value.capitalize(), lambda n: LEVEL_TONES.get(n.level)),
    text_column("Market", lambda n: n.market),
    text_column("Event", lambda n: n.text, lambda n: LEVEL_TONES.get(n.level)),
)


class NotificationsModel(BlotterModel[Notice]):
    """Notices newest first, at most `capacity`; `notify` for free-form ones, `on_order_event`
    for each order state from the orders stream.

    `fill_sound_requested` is emitted on a fill when `sound_on_fills` is set.
    """

    fill_sound_requested = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        capacity: int = DEFAULT_CAPACITY,
        sound_on_fills: bool = False,
        clock: Clock = wall_clock_ms,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(
            NOTICE_COLUMNS, lambda n: str(n.number), parent, interval_ms=interval_ms, timer=timer
        )
        self.sound_on_fills = sound_on_fills
        self._clock = clock
        self._notices: deque[Notice] = deque(maxlen=capacity)
        self._count = 0
        # The last state seen of each working order: what the next one is compared with.
        self._orders: dict[str, Order] = {}
        self._closed: dict[str, None] = {}  # insertion-ordered: the oldest is forgotten first

    def notify(self, level: Level | str, text: str, market: str | None = None) -> None:
        """Log a notice now (shown at the end of the frame)."""
        self._count += 1
        notice = Notice(self._count, self._clock(), Level(level), text, market or "")
        self._notices.appendleft(notice)
        self.refresh()

    def on_order_event(self, order: Order) -> None:
        """Log what changed since the order's previous state: accepted, filled, closed."""
        previous = self._orders.get(order.id)
        if order.id in self._closed or (previous is not None and order.seq_no <= previous.seq_no):
            return  # a repeated or late state says nothing new
        if order.is_working:
            self._orders[order.id] = order
        else:
            self._orders.pop(order.id, None)
            self._closed[order.id] = None
            if len(self._closed) > CLOSED_MEMORY:
                del self._closed[next(iter(self._closed))]
        before = previous.status if previous is not None else OrderStatus.NEW
        label = order_label(order)
        if before is OrderStatus.NEW and order.status in (
            OrderStatus.OPEN,
            OrderStatus.UNTRIGGERED,
        ):
            self.notify(Level.INFO, f"Accepted: {label}", order.market)
        self._log_fill(order, previous)
        if order.status is OrderStatus.CLOSED and order.remaining_size > 0:
            self._log_close(order, label, before)

    def current_rows(self) -> deque[Notice]:
        return self._notices

    def _log_fill(self, order: Order, previous: Order | None) -> None:
        was_filled = previous.filled_size if previous is not None else 0
        if order.filled_size <= was_filled:
            return
        done = format_exact(order.filled_size)
        if order.remaining_size == 0:
            text = f"Filled: {order_label(order)}"
        else:
            text = f"Partially filled {done} of {format_exact(order.size)}: {order_label(order)}"
        if order.avg_fill_price is not None:
            text += f", average {format_exact(order.avg_fill_price)}"
        self.notify(Level.FILL, text, order.market)
        if self.sound_on_fills:
            self.fill_sound_requested.emit()

    def _log_close(self, order: Order, label: str, before: OrderStatus) -> None:
        reason = order.cancel_reason
        words = describe_cancel_reason(reason) or "no reason given"
        if before is OrderStatus.NEW and order.filled_size == 0 and is_rejection(reason):
            self.notify(Level.ERROR, f"Rejected: {label} — {words}", order.market)
        elif reason == USER_CANCELED:
            self.notify(Level.INFO, f"Cancelled: {label} — {words}", order.market)
        else:
            self.notify(Level.WARNING, f"Cancelled: {label} — {words}", order.market)
