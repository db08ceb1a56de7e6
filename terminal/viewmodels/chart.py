"""The price chart's view-model: candles for one market and timeframe, live from trades.

The domain candles stay Decimal (`candles`); alongside them the view-model keeps
preallocated float64 arrays for drawing only — this boundary is the one place floats are
allowed, and only for pixels. A trade updates the last bar in place (or appends one); the
view hears `last_changed` / `appended` at most once per frame, and `reset` after a reload.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.instruments import Instrument
from terminal.domain.marketdata import Candle, Trade
from terminal.viewmodels.candles import (
    MINUTE_MS,
    TIMEFRAMES,
    aggregate_candles,
    bucket_start,
    candle_with_trade,
    source_resolution,
)
from terminal.viewmodels.formatting import (
    decimals_of,
    format_compact,
    format_decimal,
)
from terminal.viewmodels.throttle import FRAME_MS, Throttle

FIELDS = ("time", "open", "high", "low", "close", "volume")
DAY_MS = 1440 * MINUTE_MS
CHART_FRAME_MS = 2 * FRAME_MS
"""The live candle redraws at 30 Hz: the chart's paint was ~11 % of the UI thread under a
3k msgs/s feed at 60 Hz, and a bar's growth reads the same at 30."""


def _now_ms() -> int:
    return int(time.time() * 1000)


NBSP = "\u00a0"


class CandleArrays:
    """Growable float64 columns (time in seconds, OHLCV) for drawing; amortised O(1) append."""

    def __init__(self, capacity: int = 1024) -> None:
        self._data = np.zeros((len(FIELDS), capacity), dtype=np.float64)
        self.count = 0

    def column(self, name: str) -> np.ndarray:
        """A view of the filled part of one column."""
        return self._data[FIELDS.index(name), : self.count]

    def load(self, candles: Sequence[Candle]) -> None:
        """Replace everything with `candles`."""
        self.count = 0
        self._reserve(len(candles))
        for i, candle in enumerate(candles):
            self._data[:, i] = _row(candle)
        self.count = len(candles)

    def append(self, candle: Candle) -> None:
        """Add a bar at the end."""
        self._reserve(self.count + 1)
        self._data[:, self.count] = _row(candle)
        self.count += 1

    def set_last(self, candle: Candle) -> None:
        """Overwrite the last bar."""
        self._data[:, self.count - 1] = _row(candle)

    def _reserve(self, size: int) -> None:
        capacity = self._data.shape[1]
        if size > capacity:
            grown = np.zeros((len(FIELDS), max(size, capacity * 2)), dtype=np.float64)
            grown[:, : self.count] = self._data[:, : self.count]
            self._data = grown


def _row(candle: Candle) -> tuple[float, ...]:
    return (
        candle.start_ms / 1000.0,
        float(candle.open),
        float(candle.high),
        float(candle.low),
        float(candle.close),
        float(candle.volume),
    )


class ChartViewModel(QObject):
    """Candles for the followed market at the chosen timeframe."""

    # qint64: epoch milliseconds overflow the C++ int a Python `int` maps to.
    history_needed = Signal(str, int, "qint64", "qint64")  # type: ignore[arg-type]
    """(market, resolution_min, start_ms, end_ms): answer with `set_history`."""
    reset = Signal()
    last_changed = Signal()
    appended = Signal()
    timeframe_changed = Signal(str)
    stale_changed = Signal(bool, str)
    """(stale, reason): the followed market's feed stopped being live, or is live again."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        bars: int = 500,
        interval_ms: int = CHART_FRAME_MS,
        timer: QTimer | None = None,
        clock_ms: Callable[[], int] = _now_ms,
    ) -> None:
        super().__init__(parent)
        self.market = ""
        self.timeframe = "1m"
        self.bars = bars
        self.loading = False
        self.arrays = CandleArrays()
        self._candles: list[Candle] = []
        self._clock_ms = clock_ms
        self._price_dp: int | None = None
        self._stale_reason: str | None = None
        self._appended_pending = False
        self._throttle = Throttle(self._emit_tick, interval_ms, parent=self, timer=timer)

    # -- inputs ---------------------------------------------------------------------------------

    def set_market(self, market: str) -> None:
        """Follow a market: clears the chart and asks for its history."""
        if market != self.market:
            self.market = market
            self.set_stale(None)  # the old market's feed state says nothing of this one
            self._reload()

    def set_timeframe(self, timeframe: str) -> None:
        """Switch to one of TIMEFRAMES: clears the chart and asks for history."""
        if timeframe not in TIMEFRAMES:
            raise ValueError(f"unknown timeframe {timeframe!r}; one of {list(TIMEFRAMES)}")
        if timeframe != self.timeframe:
            self.timeframe = timeframe
            self.timeframe_changed.emit(timeframe)
            self._reload()

    def set_instrument(self, instrument: Instrument) -> None:
        """Format the readout's prices to this instrument's tick."""
        self._price_dp = decimals_of(instrument.tick_size)

    def set_stale(self, reason: str | None) -> None:
        """The followed market's feed is stale for `reason` (e.g. the book's stale reason),
        or live again (`None`): the bars may be missing trades until then."""
        if reason != self._stale_reason:
            self._stale_reason = reason
            self.stale_changed.emit(reason is not None, reason or "")

    def set_history(self, market: str, timeframe: str, candles: Sequence[Candle]) -> None:
        """The answer to `history_needed`: candles at the requested resolution, oldest first.

        An answer for another market or timeframe (the user moved on) is ignored. Bars built
        from live trades newer than the history's last bar are kept.
        """
        if (market, timeframe) != (self.market, self.timeframe):
            return
        minutes = TIMEFRAMES[timeframe]
        history = list(candles)
        if source_resolution(minutes) < minutes:
            history = aggregate_candles(history, minutes * MINUTE_MS)
        last_start = history[-1].start_ms if history else -1
        self._candles = history + [c for c in self._candles if c.start_ms > last_start]
        self.arrays.load(self._candles)
        self.loading = False
        self._throttle.cancel()
        self._appended_pending = False
        self.reset.emit()

    def on_trade(self, trade: Trade) -> None:
        """Update the last bar with a trade of the followed market, or open the next bar."""
        if trade.market != self.market:
            return
        start = bucket_start(trade.created_at, self.bar_ms)
        last = self._candles[-1] if self._candles else None
        if last is None or start > last.start_ms:
            bar = Candle(start, trade.price, trade.price, trade.price, trade.price, trade.size)
            self._candles.append(bar)
            self.arrays.append(bar)
            self._appended_pending = True
        elif start == last.start_ms:
            bar = candle_with_trade(last, trade.price, trade.size)
            self._candles[-1] = bar
            self.arrays.set_last(bar)
        else:
            return  # a late trade for a closed bar: history already has it
        self._throttle()

    def flush(self) -> None:
        """Emit a pending `appended` / `last_changed` now (tests, benchmarks)."""
        self._throttle.flush()

    # -- outputs ----------------------------------------------------------------------------------

    @property
    def bar_ms(self) -> int:
        """The width of one bar in milliseconds."""
        return TIMEFRAMES[self.timeframe] * MINUTE_MS

    @property
    def stale(self) -> bool:
        """Whether the followed market's feed is not live."""
        return self._stale_reason is not None

    @property
    def stale_reason(self) -> str:
        """Why the feed is stale ("" when live)."""
        return self._stale_reason or ""

    @property
    def count(self) -> int:
        """Number of bars."""
        return len(self._candles)

    @property
    def candles(self) -> Sequence[Candle]:
        """The bars, oldest first, exact."""
        return self._candles

    def index_at(self, seconds: float) -> int | None:
        """The bar under an x position (epoch seconds), or None outside the data."""
        times = self.arrays.column("time")
        if not len(times):
            return None
        i = int(np.searchsorted(times, seconds, side="right")) - 1
        if i < 0 or seconds >= times[i] + self.bar_ms / 1000.0:
            return None
        return i

    def readout(self, index: int) -> str:
        """A bar's OHLCV line for the crosshair, after the market and timeframe."""
        bar = self._candles[index]
        price = self._price_text
        change = (bar.close - bar.open) / bar.open if bar.open else None
        fields = [
            f"{self.market} {self.timeframe}",
            self.time_label(bar.start_ms / 1000),
            f"O {price(bar.open)}",
            f"H {price(bar.high)}",
            f"L {price(bar.low)}",
            f"C {price(bar.close)}",
            *([f"{change * 100:+.2f}%"] if change is not None else []),
            f"V {format_compact(bar.volume)}",
        ]
        # no-break spaces inside a field: a narrow chart wraps between fields, never in one
        return "  ".join(field.replace(" ", NBSP) for field in fields)

    def last_close(self) -> tuple[float, str, bool] | None:
        """The live bar's close for the last-price line: (pixels' float, its text, up from
        the bar's open), or None without bars."""
        if not self._candles:
            return None
        bar = self._candles[-1]
        return float(bar.close), self._price_text(bar.close), bar.close >= bar.open

    def price_label(self, y: float) -> str:
        """A price axis position (under the crosshair) to the instrument's tick decimals."""
        return self._price_text(Decimal(repr(y)))

    def time_label(self, seconds: float) -> str:
        """A time axis position in local time: "30 Nov 14:35" (1d bars: "30 Nov 2026")."""
        when = datetime.fromtimestamp(seconds)
        return when.strftime("%d %b %Y" if self.bar_ms >= DAY_MS else "%d %b %H:%M")

    # -- internals --------------------------------------------------------------------------------

    def _price_text(self, value: Decimal) -> str:
        dp = self._price_dp if self._price_dp is not None else decimals_of(value)
        return format_decimal(value, dp)

    def _reload(self) -> None:
        self._candles = []
        self.arrays.load([])
        self._throttle.cancel()
        self._appended_pending = False
        self.loading = bool(self.market)
        self.reset.emit()
        if not self.market:
            return
        end = self._clock_ms()
        minutes = TIMEFRAMES[self.timeframe]
        start = bucket_start(end, self.bar_ms) - (self.bars - 1) * self.bar_ms
        self.history_needed.emit(self.market, source_resolution(minutes), start, end)

    def _emit_tick(self) -> None:
        if self._appended_pending:
            self._appended_pending = False
            self.appended.emit()
        else:
            self.last_changed.emit()
