"""Ladder cost per frame: the view-model's row computation and the canvas repaint.

Offscreen. A BTC-like book of 500 levels a side takes one delta per frame (so the book's
`top()` cache is cold every time, as in a live feed). Figures, median ms per frame:
- row computation (`compute_frame`) vs reading the top 1,000 levels of the book alone;
- the canvas repaint into a QImage vs a bare widget that only fills itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from decimal import Decimal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from bench.report import emit_runs
from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import BookUpdate, Trade
from terminal.domain.orderbook import OrderBook
from terminal.domain.orders import Side
from terminal.domain.units import SCALE
from terminal.viewmodels.ladder import LadderViewModel
from terminal.widgets.ladder import LadderWidget

LEVELS = 500
FRAMES = 300
Step = Callable[[int], None]
SIZE = (420, 900)
TICK = SCALE // 10  # 0.1
MID = 67_000 * SCALE
MARKET = "BTC-USD-PERP"


class BareWidget(QWidget):
    """The floor: a widget whose paint is one fill."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.end()


def _instrument() -> Instrument:
    d = Decimal
    return Instrument(
        MARKET,
        "BTC",
        "USD",
        "USDC",
        d("0.1"),
        d("0.001"),
        d(10),
        d(100),
        d(1000),
        100,
        d("0.05"),
        d("0.05"),
        8,
    )


def _book() -> OrderBook:
    book = OrderBook(MARKET)
    size = SCALE // 4
    book.apply(
        BookUpdate(
            MARKET,
            1,
            True,
            [(MID - i * TICK, size + i * 1000) for i in range(LEVELS)],
            [(MID + (i + 1) * TICK, size + i * 1000) for i in range(LEVELS)],
            0,
        )
    )
    return book


def _paired_ms(subject: Step, baseline: Step) -> tuple[list[float], list[float]]:
    """Each step's ms for two steps, interleaved so load spikes from other processes hit
    both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(FRAMES):
        for step, out in ((subject, times[0]), (baseline, times[1])):
            start = time.perf_counter()
            step(i)
            out.append(time.perf_counter() - start)
    return [t * 1000 for t in times[0]], [t * 1000 for t in times[1]]


def main() -> None:
    """Print the ladder's per-frame figures next to their same-run baselines."""
    _app = QApplication.instance() or QApplication([])  # kept alive for the whole run
    book = _book()
    seq = [1]

    def touch(i: int) -> None:
        seq[0] += 1
        price = MID - (i % 20) * TICK
        book.apply(BookUpdate(MARKET, seq[0], False, [(price, SCALE + i)], [], 0))

    vm = LadderViewModel()
    vm.set_instrument(_instrument())
    vm.set_book(book)
    vm.on_trade(Trade("t", MARKET, Side.BUY, Decimal("67000.1"), Decimal(1), 0, "FILL"))
    widget = LadderWidget(vm)
    widget.resize(*SIZE)
    widget.show()
    vm.flush()

    def read_book(i: int) -> None:
        touch(i)
        book.top(1000)

    def compute_rows(i: int) -> None:
        touch(i)
        vm.compute_frame()

    rows, read = _paired_ms(compute_rows, read_book)
    emit_runs("ladder_rows_per_frame", rows, "ms", read)

    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    bare = BareWidget()
    bare.resize(*SIZE)
    bare.show()
    paint, fill = _paired_ms(lambda _i: widget.canvas.render(image), lambda _i: bare.render(image))
    emit_runs("ladder_paint_per_frame", paint, "ms", fill)


if __name__ == "__main__":
    main()
