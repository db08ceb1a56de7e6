"""Order-book views: a full book cut to a depth, optionally grouped by a coarser price tick."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from terminal.sim.ws_channels import BookView

DEPTH = 15
Pair = tuple[Decimal, Decimal]


def _plain(value: Decimal) -> str:
    """A decimal string without exponent or trailing zeros ("100", not "1E+2")."""
    return format(value.normalize(), "f")


def group_levels(levels: list[Pair], tick: Decimal, *, is_bid: bool) -> list[Pair]:
    """Merge (price, size) levels into `tick`-wide buckets, best first.

    Bids round down and asks round up, so a grouped level never looks better than its orders.
    """
    rounding = ROUND_FLOOR if is_bid else ROUND_CEILING
    sums: dict[Decimal, Decimal] = {}
    for price, size in levels:
        bucket = (price / tick).to_integral_value(rounding) * tick
        sums[bucket] = sums.get(bucket, Decimal(0)) + size
    return sorted(sums.items(), reverse=is_bid)


def book_view(full: dict[str, Any], view: BookView) -> dict[str, Any]:
    """The `PriceBookUpdate` ("s") that a snapshot/interactive channel sends, from a full book."""
    sides: dict[str, list[Pair]] = {"BUY": [], "SELL": []}
    for level in full["inserts"]:
        sides[level["side"]].append((Decimal(level["price"]), Decimal(level["size"])))
    bids = sorted(sides["BUY"], reverse=True)
    asks = sorted(sides["SELL"])
    if view.tick is not None:
        bids = group_levels(bids, view.tick, is_bid=True)
        asks = group_levels(asks, view.tick, is_bid=False)
    out = dict(full)
    out["inserts"] = [
        {"side": side, "price": _plain(price), "size": _plain(size)}
        for side, levels in (("BUY", bids[:DEPTH]), ("SELL", asks[:DEPTH]))
        for price, size in levels
    ]
    out["updates"] = []
    out["deletes"] = []
    out["update_type"] = "s"
    if view.interactive:
        out["relative_spread"] = _relative_spread(bids, asks)
    return out


def grouped_orderbook(book: dict[str, Any], tick: Decimal, depth: int) -> dict[str, Any]:
    """A REST `/orderbook` answer with its `bids`/`asks` grouped by `tick` and cut to `depth`."""
    out = dict(book)
    for key, is_bid in (("bids", True), ("asks", False)):
        pairs = [(Decimal(p), Decimal(s)) for p, s in book[key]]
        grouped = group_levels(pairs, tick, is_bid=is_bid)[:depth]
        out[key] = [[_plain(p), _plain(s)] for p, s in grouped]
    return out


def _relative_spread(bids: list[Pair], asks: list[Pair]) -> str | None:
    if not bids or not asks:
        return None
    bid, ask = bids[0][0], asks[0][0]
    mid = (bid + ask) / 2
    return str(((ask - bid) / mid).quantize(Decimal("1e-8"))) if mid else None
