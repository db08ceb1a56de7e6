"""An order body's fields checked before any signature work (§7.1): types, plain decimals, bounds.

The engine still checks each value against its market (tick, increment, limits, bands);
this layer keeps anything malformed ("NaN", "Infinity", "1e400", "-5", "", "١٢", a
5,000-digit id) away from the hashing and the matching, with a §9 code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.sim.engine.errors import VenueError
from terminal.sim.inputs import parse_decimal

DEFAULT_RECV_WINDOW_MS = 300_000
MIN_RECV_WINDOW_MS = 10
MAX_RECV_WINDOW_MS = 3_600_000
"""The largest window the venue ever documented (its former default, one hour)."""
MAX_TIMESTAMP_MS = 2**53  # beyond any real clock; JSON clients lose integers past it
_ORDER_ID = re.compile(r"[0-9]{1,40}", re.ASCII)
_SIDES = frozenset({"BUY", "SELL"})


@dataclass(frozen=True, slots=True)
class OrderFields:
    """What an order's signature covers, plus its receive window."""

    market: str
    side: str
    order_type: str
    size: Decimal
    price: Decimal
    timestamp_ms: int
    recv_window_ms: int


def _optional_decimal(body: dict[str, Any], name: str) -> Decimal:
    """A decimal field that may be absent or null (then 0); "" is not a number."""
    value = body.get(name)
    return Decimal(0) if value is None else parse_decimal(value, name)


def _integer(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def parse_order_fields(body: Any) -> OrderFields:
    """Check an order or modify body's shape; VALIDATION_ERROR, INVALID_ORDER_SIZE or
    INVALID_TIMESTAMP for the first field that is wrong."""
    if not isinstance(body, dict):
        raise VenueError("BINDING_ERROR", "order body must be a JSON object")
    side, order_type, market = body.get("side"), body.get("type"), body.get("market")
    if side not in _SIDES or not isinstance(order_type, str) or not isinstance(market, str):
        raise VenueError("VALIDATION_ERROR", "market, side (BUY/SELL) and type are required")
    size = parse_decimal(body.get("size"), "size", "INVALID_ORDER_SIZE")
    price = _optional_decimal(body, "price")
    _optional_decimal(body, "trigger_price")  # not signed, but never "NaN" either
    timestamp = _integer(body.get("signature_timestamp"))
    if timestamp is None or not 0 < timestamp < MAX_TIMESTAMP_MS:
        raise VenueError("INVALID_TIMESTAMP", "signature_timestamp must be an integer in ms")
    # 0 and null both mean "unset" (Go clients send the zero value, the SDK sends null)
    recv_window = body.get("recv_window") or DEFAULT_RECV_WINDOW_MS
    window = _integer(recv_window)
    if window is None or not MIN_RECV_WINDOW_MS <= window <= MAX_RECV_WINDOW_MS:
        raise VenueError(
            "VALIDATION_ERROR",
            f"recv_window must be an integer in [{MIN_RECV_WINDOW_MS}, {MAX_RECV_WINDOW_MS}] ms",
        )
    return OrderFields(market, side, order_type, size, price, timestamp, window)


def check_order_id(order_id: str) -> str:
    """An order id as the venue makes them (decimal digits); INVALID_REQUEST_PARAMETER else."""
    if not _ORDER_ID.fullmatch(order_id):
        raise VenueError("INVALID_REQUEST_PARAMETER", f"invalid order id {order_id[:40]!r}")
    return order_id
