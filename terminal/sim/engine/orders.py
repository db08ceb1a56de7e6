"""Order records and request parsing/validation with the venue's error codes.

Choices where §9 leaves room (documented for the server and the client):
- a price off the tick → `INVALID_PRICE_PRECISION` (the specific SEED/ccxt code);
- a size off the increment, ≤ 0, above `max_order_size`, or under `min_notional`
  → `INVALID_ORDER_SIZE`;
- malformed fields, a missing trigger price, IOC/POST_ONLY on market types, and the
  per-market open-order limit → `VALIDATION_ERROR`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from terminal.domain.orders import OrderStatus, OrderType, StpMode, TimeInForce
from terminal.domain.units import PrecisionError
from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.units import SCALE, mul, parse_units

_E = TypeVar("_E", bound=StrEnum)
REDUCE_ONLY = "REDUCE_ONLY"
# cancel_reason for a reduce-only order that could only increase the position: §7.3 lists
# no value for it (the set is open), so the engine names it plainly
REDUCE_ONLY_REJECT = "REDUCE_ONLY_WOULD_INCREASE"
BELOW = "STOP_CONDITION_BELOW_TRIGGER"
ABOVE = "STOP_CONDITION_ABOVE_TRIGGER"
_KNOWN_FLAGS = frozenset({REDUCE_ONLY, BELOW, ABOVE, "INTERACTIVE", "TARGET_STRATEGY_VWAP", "MMP"})


class SimOrder:
    """A live or closed order inside the engine; sizes and prices in units."""

    __slots__ = (
        "account",
        "avg_notional",
        "cancel_reason",
        "client_id",
        "created_at",
        "flags",
        "id",
        "instruction",
        "interactive",
        "is_buy",
        "market",
        "price",
        "received_at",
        "reduce_only",
        "remaining",
        "request_info",
        "seq_no",
        "size",
        "status",
        "stp",
        "timestamp",
        "trigger_above",
        "trigger_price",
        "type",
        "updated_at",
    )

    def __init__(
        self,
        *,
        id: str,
        account: int,
        market: str,
        is_buy: bool,
        type: OrderType,
        instruction: TimeInForce,
        size: int,
        price: int,
        trigger_price: int,
        flags: tuple[str, ...],
        stp: StpMode,
        client_id: str,
        timestamp: int,
        now_ms: int,
        interactive: bool = False,
    ) -> None:
        self.id = id
        self.account = account
        self.market = market
        self.is_buy = is_buy
        self.type = type
        self.instruction = instruction
        self.size = size
        self.remaining = size
        self.price = price
        self.trigger_price = trigger_price
        self.flags = flags
        self.reduce_only = REDUCE_ONLY in flags
        self.stp = stp
        self.client_id = client_id
        self.timestamp = timestamp
        self.created_at = now_ms
        self.received_at = now_ms
        self.updated_at = now_ms
        self.status = OrderStatus.NEW
        self.cancel_reason = ""
        self.avg_notional = 0  # Σ fill price × size, in units, for avg_fill_price
        self.seq_no = 0
        self.interactive = interactive
        self.request_info: dict[str, str] | None = None
        self.trigger_above = _trigger_above(type, is_buy, flags)

    @property
    def is_open(self) -> bool:
        """Whether the order is not CLOSED."""
        return self.status is not OrderStatus.CLOSED

    @property
    def filled(self) -> int:
        """Size traded so far, in units."""
        return self.size - self.remaining

    def avg_fill_price(self) -> int:
        """Average fill price in units (0 before any fill)."""
        filled = self.filled
        return self.avg_notional * SCALE // filled if filled else 0

    def record_fill(self, price: int, size: int) -> None:
        """Account for a fill against this order."""
        self.remaining -= size
        self.avg_notional += mul(price, size)


def _trigger_above(type: OrderType, is_buy: bool, flags: tuple[str, ...]) -> bool:
    """Whether a conditional order fires when the mark rises to (not falls to) its trigger."""
    if ABOVE in flags:
        return True
    if BELOW in flags:
        return False
    if type in (OrderType.TAKE_PROFIT_LIMIT, OrderType.TAKE_PROFIT_MARKET):
        return not is_buy  # a take-profit sell closes a long above; a buy closes a short below
    return is_buy  # stop / stop-loss: buy above, sell below


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A validated §7.1 body, in units."""

    market: str
    is_buy: bool
    type: OrderType
    instruction: TimeInForce
    size: int
    price: int
    trigger_price: int
    flags: tuple[str, ...]
    stp: StpMode
    client_id: str
    timestamp: int


def _invalid(message: str) -> VenueError:
    return VenueError("VALIDATION_ERROR", message)


def _enum(cls: type[_E], value: object, default: _E | None, name: str) -> _E:
    if value in (None, "") and default is not None:
        return default
    try:
        return cls(str(value))
    except ValueError:
        raise _invalid(f"invalid {name}: {value!r}") from None


def parse_price(spec: MarketSpec, value: object, name: str = "price") -> int:
    """A price field in units, on the tick (INVALID_PRICE_PRECISION) and positive."""
    try:
        units = parse_units(value)
    except PrecisionError:
        raise VenueError("INVALID_PRICE_PRECISION", f"{name} has too many decimals") from None
    except ValueError:
        raise _invalid(f"invalid {name}: {value!r}") from None
    if units <= 0:
        raise _invalid(f"{name} must be positive")
    if units % spec.tick:
        raise VenueError(
            "INVALID_PRICE_PRECISION", f"{name} {value} is not a multiple of the tick size"
        )
    return units


def parse_size(spec: MarketSpec, value: object) -> int:
    """A size field in units: positive, on the increment, at most max_order_size."""
    try:
        units = parse_units(value)
    except ValueError:
        raise VenueError("INVALID_ORDER_SIZE", f"invalid size: {value!r}") from None
    if units <= 0 or units % spec.step:
        raise VenueError(
            "INVALID_ORDER_SIZE",
            f"size {value} is not a positive multiple of the order size increment",
        )
    if units > spec.max_order_size:
        raise VenueError("INVALID_ORDER_SIZE", f"size {value} exceeds max_order_size")
    return units


def parse_order(
    body: dict[str, Any], markets: dict[str, MarketSpec], reference_price: int
) -> OrderRequest:
    """Validate a §7.1 body; `reference_price` (the mark) checks min_notional of market types."""
    if not isinstance(body, dict):
        raise _invalid("order body must be an object")
    symbol = body.get("market")
    spec = markets.get(symbol) if isinstance(symbol, str) else None
    if spec is None:
        raise VenueError("MARKET_NOT_FOUND", f"market {symbol!r} not found")
    side = body.get("side")
    if side not in ("BUY", "SELL"):
        raise _invalid(f"invalid side: {side!r}")
    otype = _enum(OrderType, body.get("type"), None, "type")
    instruction = _enum(TimeInForce, body.get("instruction"), TimeInForce.GTC, "instruction")
    stp = _enum(StpMode, body.get("stp"), StpMode.EXPIRE_TAKER, "stp")
    size = parse_size(spec, body.get("size"))
    raw_price = body.get("price")
    if otype.is_market:
        price = 0  # lenient, as §13.5 asks: a market order's price is ignored
        if instruction is TimeInForce.POST_ONLY:
            raise _invalid("POST_ONLY is not allowed on market orders")
    else:
        price = parse_price(spec, raw_price)
    trigger = 0
    if otype.is_conditional:
        trigger = parse_price(spec, body.get("trigger_price"), "trigger_price")
    flags_raw = body.get("flags") or []
    if not isinstance(flags_raw, list) or any(f not in _KNOWN_FLAGS for f in flags_raw):
        raise _invalid(f"invalid flags: {flags_raw!r}")
    client_id = body.get("client_id") or ""
    if not isinstance(client_id, str) or len(client_id) > 64:
        raise _invalid("client_id must be a string of at most 64 characters")
    timestamp = body.get("signature_timestamp") or 0
    if not isinstance(timestamp, int):
        raise _invalid("signature_timestamp must be an integer")
    notional = mul(price or trigger or reference_price, size)
    if notional < spec.min_notional and REDUCE_ONLY not in flags_raw:
        raise VenueError("INVALID_ORDER_SIZE", "order notional is below min_notional")
    return OrderRequest(
        market=spec.symbol,
        is_buy=side == "BUY",
        type=otype,
        instruction=instruction,
        size=size,
        price=price,
        trigger_price=trigger,
        flags=tuple(flags_raw),
        stp=stp,
        client_id=client_id,
        timestamp=timestamp,
    )
