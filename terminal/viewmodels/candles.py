"""Candle arithmetic for the chart: timeframes, kline resolutions, client-side aggregation.

Pure functions on `Candle`s (Decimal all the way); the chart view-model converts to floats
only when it fills its drawing buffers.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from terminal.domain.marketdata import Candle

TIMEFRAMES: dict[str, int] = {"1m": 1, "5m": 5, "15m": 15, "1h": 60, "4h": 240, "1d": 1440}
"""The chart's timeframes, in minutes."""

KLINE_RESOLUTIONS = (1, 3, 5, 15, 30, 60)
"""What Paradex `GET /markets/klines` serves, in minutes; anything longer is aggregated."""

MINUTE_MS = 60_000


def source_resolution(minutes: int) -> int:
    """The longest served kline resolution that tiles a bar of `minutes` exactly."""
    return max(r for r in KLINE_RESOLUTIONS if minutes % r == 0)


def bucket_start(timestamp_ms: int, bucket_ms: int) -> int:
    """Open time of the bar holding `timestamp_ms` (bars are aligned to the UTC epoch)."""
    return timestamp_ms - timestamp_ms % bucket_ms


def aggregate_candles(candles: Iterable[Candle], bucket_ms: int) -> list[Candle]:
    """Merge time-ordered candles into bars of `bucket_ms`: first open, max high, min low,
    last close, summed volume. Empty buckets produce no bar."""
    out: list[Candle] = []
    for candle in candles:
        start = bucket_start(candle.start_ms, bucket_ms)
        if out and out[-1].start_ms == start:
            out[-1] = merge_candle(out[-1], candle)
        else:
            out.append(
                Candle(start, candle.open, candle.high, candle.low, candle.close, candle.volume)
            )
    return out


def merge_candle(bar: Candle, later: Candle) -> Candle:
    """`bar` extended by a later candle that falls inside it."""
    return Candle(
        bar.start_ms,
        bar.open,
        max(bar.high, later.high),
        min(bar.low, later.low),
        later.close,
        bar.volume + later.volume,
    )


def candle_with_trade(bar: Candle, price: Decimal, size: Decimal) -> Candle:
    """`bar` updated by one trade inside it."""
    return Candle(
        bar.start_ms, bar.open, max(bar.high, price), min(bar.low, price), price, bar.volume + size
    )
