"""Throttled order-book views: a full book snapshot cut to 15 levels, optionally tick-grouped."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from terminal.sim.ws_channels import BookView

DEPTH = 15


def _plain(value: Decimal) -> str:
    """A decimal string without exponent or trailing zeros ("100", not "1E+2")."""
    return format(value.normalize(), "f")


def _group(levels: list[dict[str, Any]], tick: Decimal, rounding: str) -> list[dict[str, Any]]:
    """Merge levels into `tick`-wide buckets: bids round down, asks round up (like the venue)."""
    sums: dict[Decimal, Decimal] = {}
    for level in levels:
        price = Decimal(level["price"])
        bucket = (price / tick).to_integral_value(rounding) * tick
        sums[bucket] = sums.get(bucket, Decimal(0)) + Decimal(level["size"])
    side = levels[0]["side"] if levels else "BUY"
    return [
        {"side": side, "price": _plain(price), "size": _plain(size)}
        for price, size in sums.items()
    ]


def book_view(full: dict[str, Any], view: BookView) -> dict[str, Any]:
    """The `PriceBookUpdate` ("s") that a snapshot/interactive channel sends, from a full book."""
    bids = [lv for lv in full["inserts"] if lv["side"] == "BUY"]
    asks = [lv for lv in full["inserts"] if lv["side"] == "SELL"]
    if view.tick is not None:
        bids = _group(bids, view.tick, ROUND_FLOOR)
        asks = _group(asks, view.tick, ROUND_CEILING)
    bids.sort(key=lambda lv: Decimal(lv["price"]), reverse=True)
    asks.sort(key=lambda lv: Decimal(lv["price"]))
    out = dict(full)
    out["inserts"] = bids[:DEPTH] + asks[:DEPTH]
    out["updates"] = []
    out["deletes"] = []
    out["update_type"] = "s"
    if view.interactive:
        out["relative_spread"] = _relative_spread(bids, asks)
    return out


def _relative_spread(bids: list[dict[str, Any]], asks: list[dict[str, Any]]) -> str | None:
    if not bids or not asks:
        return None
    bid, ask = Decimal(bids[0]["price"]), Decimal(asks[0]["price"])
    mid = (bid + ask) / 2
    return str(((ask - bid) / mid).quantize(Decimal("1e-8"))) if mid else None
