"""History windows and the trade history made before the start, in step with the klines."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from typing import Any

from terminal.sim.engine import wire
from terminal.sim.engine.candles import MINUTE_MS, CandleSeries
from terminal.sim.engine.ids import IdFactory
from terminal.sim.engine.markets import MarketSpec

TRADE_HISTORY_MINUTES = 120
"""Two hours of seeded trades: about five pages of /trades. It is paid at start-up: six
hours of three markets took 0.36 s of a 1.1 s start on a loaded two-core box, two 0.16 s."""
TRADES_PER_BAR = 4  # open, high and low in some order, then close


def window(
    rows: Iterable[dict[str, Any]], start_at: int | None, end_at: int | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` of newest-first `rows` created within [start_at, end_at]."""
    out: list[dict[str, Any]] = []
    for row in rows:
        t = row["created_at"]
        if end_at is not None and t > end_at:
            continue
        if start_at is not None and t < start_at:
            break  # newest first: everything after is older still
        out.append(row)
        if len(out) >= limit:
            break
    return out


def seed_trades(
    candles: CandleSeries, spec: MarketSpec, rng: random.Random, ids: IdFactory
) -> list[dict[str, Any]]:
    """Public trades for the newest TRADE_HISTORY_MINUTES seeded bars, oldest first.

    Each bar's first, highest, lowest and last trade are its open, high, low and close,
    and its volume becomes the sum of its trades' sizes, so `/trades` and the klines tell
    the same story.
    """
    trades: list[dict[str, Any]] = []
    last_price: int | None = None
    first = max(0, len(candles.rows) - TRADE_HISTORY_MINUTES)
    for start, row in zip(candles.starts[first:], candles.rows[first:], strict=True):
        opening, high, low, close = row[:4]
        middle = [high, low] if rng.random() < 0.5 else [low, high]
        prices = [opening, *middle, close]
        sizes = _split(max(row[4] // spec.step, TRADES_PER_BAR), rng)
        row[4] = sum(sizes) * spec.step
        offsets = sorted(rng.sample(range(MINUTE_MS), TRADES_PER_BAR))
        for price, steps, offset in zip(prices, sizes, offsets, strict=True):
            # the tick rule: a trade above the last one was a buyer taking, below a seller
            if last_price is None or price == last_price:
                taker_buy = rng.random() < 0.5
            else:
                taker_buy = price > last_price
            t = start + offset
            trades.append(
                wire.trade_json(ids.next(t), spec.symbol, taker_buy, price, steps * spec.step, t)
            )
            last_price = price
    return trades


def _split(steps: int, rng: random.Random) -> list[int]:
    """`steps` (≥ TRADES_PER_BAR) as TRADES_PER_BAR positive parts."""
    cuts = sorted(rng.sample(range(1, steps), TRADES_PER_BAR - 1))
    return [b - a for a, b in itertools.pairwise([0, *cuts, steps])]
