"""The engine's state as the indexer's reply rows (seeds/004): integers as strings, prices in
ticks, sizes in lots, money in quote subunits, times in seconds."""

from __future__ import annotations

from typing import Any

from terminal.sim.engine import SimVenue
from terminal.sim.engine.units import SCALE, parse_units
from terminal.sim.kana.listings import Listing

BOOK_DEPTH = 30
"""Levels per side in an `orderbook` reply (the indexer's is the whole book)."""
HISTORY = 20
"""Rows in a `trade_history` / `order_history` reply."""


def address_of(account: int) -> str:
    """An engine account as an Aptos address."""
    return f"0x{account:064x}"


def _seconds(ms: int) -> str:
    return str(ms // 1000)


def book_rows(venue: SimVenue, listing: Listing, now_ms: int) -> list[dict[str, Any]]:
    """The `orderbook` reply's rows: asks, then bids, best first."""
    book = venue.public.orderbook_json(listing.spec.symbol, BOOK_DEPTH)
    stamp = _seconds(now_ms)
    return [
        {
            "is_ask": is_ask,
            "last_updated": stamp,
            "market_id": listing.market_id,
            "price": str(listing.ticks(price)),
            "size": str(listing.lots(size)),
        }
        for is_ask, side in ((True, book["asks"]), (False, book["bids"]))
        for price, size in side
    ]


def _order_type(side: str, closing: bool) -> int:
    """Kana's order_type: 1 open long, 2 open short, 3 close long, 4 close short."""
    if side == "BUY":
        return 4 if closing else 1
    return 3 if closing else 2


def position_rows(
    venue: SimVenue, account: int, by_symbol: dict[str, Listing]
) -> list[dict[str, Any]]:
    """The `positions` reply's rows: the account's open positions."""
    rows = []
    for position in venue.private.positions_json(account):
        listing = by_symbol.get(position["market"])
        if listing is None or position["status"] != "OPEN":
            continue
        size = listing.lots(position["size"])
        entry = listing.ticks(position["average_entry_price"])
        value = entry * size * listing.tick_size
        leverage = max(parse_units(position["leverage"]) // SCALE, 1)
        liquidation = listing.ticks(position["liquidation_price"])
        rows.append(
            {
                "address": address_of(account),
                "entry_price": str(entry),
                "is_long": position["side"] == "LONG",
                "last_updated": _seconds(position["last_updated_at"]),
                "leverage": leverage,
                "liq_price": str(liquidation) if liquidation else None,
                "margin": str(value // leverage),
                "market_id": listing.market_id,
                "size": str(size),
                "sl": None,
                "tp": None,
                "trade_id": position["id"],
                "value": str(value),
            }
        )
    return rows


def _order_common(order: dict[str, Any], listing: Listing, account: int) -> dict[str, Any]:
    price = listing.ticks(order["price"])
    size = listing.lots(order["size"])
    return {
        "address": address_of(account),
        "last_updated": _seconds(order["last_updated_at"]),
        "leverage": 1,
        "market_id": listing.market_id,
        "order_id": order["id"],
        "order_type": _order_type(order["side"], "REDUCE_ONLY" in order.get("flags", ())),
        "order_value": str(price * size * listing.tick_size),
        "price": str(price),
        "timestamp": _seconds(order["created_at"]),
        "trade_id": order["id"],
    }


def open_order_rows(
    venue: SimVenue, account: int, by_symbol: dict[str, Listing]
) -> list[dict[str, Any]]:
    """The `open_orders` reply's rows."""
    rows = []
    for order in venue.private.open_orders_json(account, None):
        listing = by_symbol.get(order["market"])
        if listing is not None:
            row = _order_common(order, listing, account)
            row["total_size"] = str(listing.lots(order["size"]))
            row["remaining_size"] = str(listing.lots(order["remaining_size"]))
            rows.append(row)
    return rows


def order_history_rows(
    venue: SimVenue, account: int, by_symbol: dict[str, Listing]
) -> list[dict[str, Any]]:
    """The `order_history` reply's rows, newest first."""
    rows = []
    for order in venue.private.orders_history_json(account, limit=HISTORY):
        listing = by_symbol.get(order["market"])
        if listing is None:
            continue
        row = _order_common(order, listing, account)
        row["is_market_order"] = order["type"] == "MARKET"
        row["size"] = str(listing.lots(order["size"]))
        if order["status"] != "CLOSED":
            row["status"] = "Open"
        elif parse_units(order["remaining_size"]) == 0:
            row["status"] = "Filled"
        else:
            row["status"] = "Cancelled"
        rows.append(row)
    return rows


def trade_rows(
    venue: SimVenue, account: int, by_symbol: dict[str, Listing]
) -> list[dict[str, Any]]:
    """The `trade_history` reply's rows, newest first."""
    rows = []
    for fill in venue.private.fills_json(account, None, limit=HISTORY):
        listing = by_symbol.get(fill["market"])
        if listing is None:
            continue
        pnl = listing.subunits(fill["realized_pnl"])
        rows.append(
            {
                "address": address_of(account),
                "fee": str(listing.subunits(fill["fee"])),
                "last_updated": _seconds(fill["created_at"]),
                "market_id": listing.market_id,
                # A fill that realised P&L closed (part of) a position.
                "order_type": _order_type(fill["side"], pnl != 0),
                "pnl": str(pnl),
                "price": str(listing.ticks(fill["price"])),
                "size": str(listing.lots(fill["size"])),
                "timestamp": _seconds(fill["created_at"]),
                "trade_id": fill["id"],
            }
        )
    return rows
