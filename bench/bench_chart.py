"""Chart frame cost with 5,000 candles vs a bare pyqtgraph plot of 5,000 points.

Offscreen: each frame is the data update plus a render of the plot's graphics view into a
QImage.
Figures (ms per frame, median): the live-bar update (a trade inside the last bar) and the
new-bar frame (a bar closes: the history items are rebuilt), while following the live edge
and zoomed out to all 5,000 bars; and the ramp, a market running away as in the spike
scenario (each trade RAMP_STEP above the last, the price range and axes move every frame) —
each against a PlotWidget with one 5,000-point curve updated by `setData`, measured in the
same run. The axes use their pixmap only once their range has rested for
`chart_axes.SETTLE_MS` (a timer, which frames run back to back never let fire): these
figures are the moving-market path; the app at rest paints the axes from the pixmap.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from decimal import Decimal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsView

from bench.report import emit_runs
from terminal.domain.marketdata import Candle, Trade
from terminal.domain.orders import Side
from terminal.viewmodels.chart import ChartViewModel
from terminal.widgets.chart import ChartWidget

CANDLES = 5_000
FRAMES = 60
Frame = Callable[[int], None]
SIZE = (1200, 700)
RAMP_STEP = 45.0
"""Price step per frame of the ramp: the spike's +6 % over 3 s at 30 frames a second."""
T0 = 1_700_000_040_000 - 1_700_000_040_000 % 60_000
MINUTE = 60_000


def _history(rng: np.random.Generator) -> list[Candle]:
    closes = 67_000 + np.cumsum(rng.normal(0, 10, CANDLES))
    out = []
    previous = closes[0]
    for i, close in enumerate(closes):
        o, c = Decimal(f"{previous:.1f}"), Decimal(f"{close:.1f}")
        hi = max(o, c) + Decimal(f"{abs(rng.normal(0, 5)):.1f}")
        lo = min(o, c) - Decimal(f"{abs(rng.normal(0, 5)):.1f}")
        out.append(Candle(T0 + i * MINUTE, o, hi, lo, c, Decimal(f"{rng.uniform(1, 30):.3f}")))
        previous = close
    return out


def _frame(view: QGraphicsView, update: Callable[[int], None], image: QImage) -> Frame:
    """One frame: the data update, then a render of the view into `image`."""

    def run(i: int) -> None:
        update(i)
        painter = QPainter(image)
        view.render(painter)
        painter.end()

    return run


def _paired_ms(subject: Frame, baseline: Frame) -> tuple[list[float], list[float]]:
    """Each frame's ms for two frame kinds, interleaved so load spikes from other processes
    hit both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(FRAMES):
        for frame, out in ((subject, times[0]), (baseline, times[1])):
            start = time.perf_counter()
            frame(i)
            out.append(time.perf_counter() - start)
    return [t * 1000 for t in times[0]], [t * 1000 for t in times[1]]


def _trade(price: float, at_ms: int) -> Trade:
    return Trade("b", "BTC-USD-PERP", Side.BUY, Decimal(f"{price:.1f}"), Decimal(1), at_ms, "FILL")


def main() -> None:
    """Print the chart's frame figures next to the bare plot baseline."""
    _app = QApplication.instance() or QApplication([])  # kept alive for the whole run
    rng = np.random.default_rng(7)
    history = _history(rng)

    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    bare = pg.PlotWidget()
    bare.resize(*SIZE)
    curve = bare.plot()
    ys = np.array([float(c.close) for c in history])
    xs = np.array([c.start_ms / 1000 for c in history])
    bare.show()

    def bare_update(i: int) -> None:
        ys[-1] += 0.1 if i % 2 else -0.1
        curve.setData(xs, ys)

    bare_frame = _frame(bare, bare_update, image)

    last_start = history[-1].start_ms
    vm = ChartViewModel(clock_ms=lambda: last_start + 1, interval_ms=0)
    chart = ChartWidget(vm)
    chart.resize(*SIZE)
    chart.show()
    vm.set_market("BTC-USD-PERP")
    vm.set_history("BTC-USD-PERP", "1m", history)
    bars = [0]

    def tick(i: int) -> None:
        vm.on_trade(_trade(67_000 + (i % 20), last_start + bars[0] * MINUTE + 1_000 + i))
        vm.flush()

    def new_bar(i: int) -> None:
        bars[0] += 1
        vm.on_trade(_trade(67_000 + (i % 20), last_start + bars[0] * MINUTE))
        vm.flush()

    ramp_from = float(history[-1].close)

    def ramp(i: int) -> None:
        vm.on_trade(_trade(ramp_from + RAMP_STEP * i, last_start + bars[0] * MINUTE + 2_000 + i))
        vm.flush()

    def report(name: str, update: Frame) -> None:
        value, baseline = _paired_ms(_frame(chart.graphics, update, image), bare_frame)
        emit_runs(name, value, "ms", baseline)

    # Following the live edge (the usual view: the last FOLLOW_BARS bars).
    report("chart_follow_live_bar_frame_5000", tick)
    report("chart_follow_new_bar_frame_5000", new_bar)
    report("chart_follow_ramp_frame_5000", ramp)
    # Zoomed out to all 5,000 bars: the worst case.
    chart.set_follow(False)
    chart.price_plot.setXRange(xs[0], xs[-1] + 3600, padding=0)
    report("chart_all_live_bar_frame_5000", tick)
    report("chart_all_new_bar_frame_5000", new_bar)


if __name__ == "__main__":
    main()
