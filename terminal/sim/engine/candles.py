"""Kline history: synthetic 1-minute bars before the start, live trades after it."""

from __future__ import annotations

import math
import random

from terminal.sim.engine.units import SCALE

RESOLUTIONS = (1, 3, 5, 15, 30, 60)
MINUTE_MS = 60_000


class CandleSeries:
    """One market's 1-minute bars as parallel lists (prices in units), aggregated on read."""

    def __init__(self, tick: int) -> None:
        self.tick = tick
        self.starts: list[int] = []
        self.rows: list[list[int]] = []  # [open, high, low, close, volume] in units

    def seed_history(
        self,
        rng: random.Random,
        end_ms: int,
        close: int,
        minutes: int,
        vol_per_minute: float,
        typical_volume: int,
    ) -> None:
        """Fill `minutes` bars ending just before `end_ms`, walking back from `close`."""
        first = end_ms // MINUTE_MS * MINUTE_MS - minutes * MINUTE_MS
        log_returns = [rng.gauss(0.0, vol_per_minute) for _ in range(minutes)]
        # walk backwards from the current price so history joins the live market
        closes = [0.0] * minutes
        level = close / SCALE
        for i in range(minutes - 1, -1, -1):
            closes[i] = level
            level /= math.exp(log_returns[i])
        opening = level
        for i, c in enumerate(closes):
            o = opening
            wick = abs(rng.gauss(0.0, vol_per_minute * 0.6))
            h, low = max(o, c) * (1 + wick), min(o, c) * (1 - wick)
            vol = int(typical_volume * rng.uniform(0.3, 1.7))
            self.starts.append(first + i * MINUTE_MS)
            self.rows.append([self._snap(o), self._snap(h), self._snap(low), self._snap(c), vol])
            opening = c

    def _snap(self, price: float) -> int:
        units = round(price * SCALE)
        return max(self.tick, units - units % self.tick)

    def on_trade(self, price: int, size: int, now_ms: int) -> None:
        """Fold a live trade into the current bar (flat bars fill any silent minutes)."""
        start = now_ms // MINUTE_MS * MINUTE_MS
        if self.starts and self.starts[-1] == start:
            row = self.rows[-1]
            row[1] = max(row[1], price)
            row[2] = min(row[2], price)
            row[3] = price
            row[4] += size
            return
        if self.starts:
            last_close = self.rows[-1][3]
            t = self.starts[-1] + MINUTE_MS
            while t < start:
                self.starts.append(t)
                self.rows.append([last_close, last_close, last_close, last_close, 0])
                t += MINUTE_MS
        self.starts.append(start)
        self.rows.append([price, price, price, price, size])

    def klines(self, resolution_min: int, start_at: int, end_at: int) -> list[list[float | int]]:
        """[t_ms, o, h, l, c, v] bars of `resolution_min` whose open time is in [start, end]."""
        width = resolution_min * MINUTE_MS
        out: list[list[float | int]] = []
        bar: list[int] | None = None
        bar_start = -1
        for t, row in zip(self.starts, self.rows, strict=True):
            if t > end_at:
                break
            b = t // width * width
            if b < start_at // width * width:
                continue
            if b != bar_start:
                if bar is not None and bar_start >= start_at:
                    out.append(_number_row(bar_start, bar))
                bar_start, bar = b, list(row)
            else:
                assert bar is not None
                bar[1] = max(bar[1], row[1])
                bar[2] = min(bar[2], row[2])
                bar[3] = row[3]
                bar[4] += row[4]
        if bar is not None and bar_start >= start_at:
            out.append(_number_row(bar_start, bar))
        return out

    def volume_since(self, since_ms: int) -> tuple[int, int]:
        """(base volume, USD volume) in units of the bars opened at or after `since_ms`."""
        base = usd = 0
        for i in range(len(self.starts) - 1, -1, -1):
            if self.starts[i] < since_ms:
                break
            row = self.rows[i]
            base += row[4]
            usd += row[4] * row[3] // SCALE
        return base, usd

    def price_at(self, t_ms: int) -> int | None:
        """Open of the bar containing `t_ms`, if there is one."""
        start = t_ms // MINUTE_MS * MINUTE_MS
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.starts[mid] < start:
                lo = mid + 1
            else:
                hi = mid
        return self.rows[lo][0] if lo < len(self.starts) else None


def _number_row(start: int, row: list[int]) -> list[float | int]:
    return [start, row[0] / SCALE, row[1] / SCALE, row[2] / SCALE, row[3] / SCALE, row[4] / SCALE]
