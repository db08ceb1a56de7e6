"""Wire schemas for system, market-list and account REST answers and private WS payloads.

Frozen `msgspec.Struct`s, tolerant of fields they do not name (the venue adds fields
often) and of absent optional ones. Each payload type has `to_domain()`; venue JSON
stops here. Decimal fields that the venue may send empty (`""`) or as `"0"` meaning
"none" are read as `str` and converted in `to_domain()`. Every decimal, typed or text, is
checked in `__post_init__`: text that is not a number, "NaN" or "Infinity" fails the
decode (a `ValidationError`) rather than reading as 0 or as absent.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

import msgspec

from terminal.domain.account import AccountSummary, Balance, Fill, FundingPayment, Position
from terminal.domain.instruments import Instrument
from terminal.domain.orders import Order, OrderStatus, OrderType, Side, TimeInForce
from terminal.venues.paradex.schemas.numbers import require_numbers

T = TypeVar("T")
_ZERO = Decimal(0)
# An empty instruction means GTC on the wire (§7.1).
_INSTRUCTIONS = {tif.value: tif for tif in TimeInForce}


def _decimal(text: str, default: Decimal = _ZERO) -> Decimal:
    return Decimal(text) if text else default


def _decimal_or_none(text: str | None, *, zero_is_none: bool = False) -> Decimal | None:
    if not text:
        return None
    value = Decimal(text)
    return None if zero_is_none and value == 0 else value


class Results(msgspec.Struct, Generic[T], frozen=True):
    """A non-paginated list answer: `{"results": [...]}`."""

    results: list[T] = []


class Page(msgspec.Struct, Generic[T], frozen=True):
    """A paginated list answer; pass `next` as `cursor` to get the following page."""

    results: list[T] = []
    next: str | None = None
    prev: str | None = None


class SystemConfig(msgspec.Struct, frozen=True):
    """`GET /system/config`: chain ids and the class hashes address derivation needs."""

    starknet_chain_id: str
    l1_chain_id: str = ""
    paraclear_account_hash: str = ""
    paraclear_account_proxy_hash: str = ""
    paraclear_address: str = ""
    paraclear_decimals: int = 8
    environment: str = ""
    block_explorer_url: str = ""


class SystemTime(msgspec.Struct, frozen=True):
    """`GET /system/time`; `server_time` is a string in the spec, an integer in places."""

    server_time: str | int

    def to_domain(self) -> int:
        """Server time in milliseconds."""
        return int(self.server_time)


class SystemState(msgspec.Struct, frozen=True):
    """`GET /system/state`: `ok`, `maintenance`, `cancel_only` or `post_only`."""

    status: str

    def to_domain(self) -> str:
        """The status word."""
        return self.status


class MarginParams(msgspec.Struct, frozen=True):
    """`delta1_cross_margin_params` of a market."""

    imf_base: str = ""

    def __post_init__(self) -> None:
        require_numbers(self.imf_base)


class FeeRate(msgspec.Struct, frozen=True):
    """One fee of a market's `fee_config`."""

    fee: str = ""

    def __post_init__(self) -> None:
        require_numbers(self.fee)


class ApiFees(msgspec.Struct, frozen=True):
    """`fee_config.api_fee`: the rates of API (and terminal) orders."""

    maker_fee: FeeRate = FeeRate()
    taker_fee: FeeRate = FeeRate()


class FeeConfig(msgspec.Struct, frozen=True):
    """A market's `fee_config`."""

    api_fee: ApiFees = ApiFees()


class MarketResp(msgspec.Struct, frozen=True):
    """One market of `GET /markets`."""

    symbol: str
    base_currency: str = ""
    quote_currency: str = ""
    settlement_currency: str = ""
    asset_kind: str = "PERP"
    order_size_increment: str = ""
    price_tick_size: str = ""
    min_notional: str = ""
    max_order_size: str = ""
    position_limit: str = ""
    max_open_orders: int = 100
    price_bands_width: str = ""
    max_slippage: str = ""
    funding_period_hours: str | int | float = 8
    delta1_cross_margin_params: MarginParams = MarginParams()
    fee_config: FeeConfig = FeeConfig()

    def __post_init__(self) -> None:
        require_numbers(
            self.order_size_increment,
            self.price_tick_size,
            self.min_notional,
            self.max_order_size,
            self.position_limit,
            self.price_bands_width,
            self.max_slippage,
        )
        # A JSON number or a string, in whole hours: int() would truncate 8.5 to 8.
        require_numbers(hours := str(self.funding_period_hours))
        if not hours or Decimal(hours) != Decimal(hours).to_integral_value():
            raise ValueError(f"funding_period_hours is not whole: {hours}")

    def to_domain(self) -> Instrument:
        """The venue-neutral instrument."""
        return Instrument(
            symbol=self.symbol,
            base_currency=self.base_currency,
            quote_currency=self.quote_currency,
            settlement_currency=self.settlement_currency,
            tick_size=_decimal(self.price_tick_size),
            step_size=_decimal(self.order_size_increment),
            min_notional=_decimal(self.min_notional),
            max_order_size=_decimal(self.max_order_size),
            position_limit=_decimal(self.position_limit),
            max_open_orders=self.max_open_orders,
            price_bands_width=_decimal(self.price_bands_width),
            max_slippage=_decimal(self.max_slippage),
            funding_period_hours=int(Decimal(str(self.funding_period_hours))),
            initial_margin_fraction=_decimal(self.delta1_cross_margin_params.imf_base),
            maker_fee=_decimal(self.fee_config.api_fee.maker_fee.fee),
            taker_fee=_decimal(self.fee_config.api_fee.taker_fee.fee),
        )


class AccountResp(msgspec.Struct, frozen=True):
    """`GET /account` and the WS `account` channel."""

    account: str
    account_value: Decimal = _ZERO
    total_collateral: Decimal = _ZERO
    free_collateral: Decimal = _ZERO
    initial_margin_requirement: Decimal = _ZERO
    maintenance_margin_requirement: Decimal = _ZERO
    margin_cushion: Decimal = _ZERO
    status: str = ""
    updated_at: int = 0

    def __post_init__(self) -> None:
        require_numbers(
            self.account_value,
            self.total_collateral,
            self.free_collateral,
            self.initial_margin_requirement,
            self.maintenance_margin_requirement,
            self.margin_cushion,
        )

    def to_domain(self) -> AccountSummary:
        """The account's margin summary."""
        return AccountSummary(
            account=self.account,
            account_value=self.account_value,
            total_collateral=self.total_collateral,
            free_collateral=self.free_collateral,
            initial_margin=self.initial_margin_requirement,
            maintenance_margin=self.maintenance_margin_requirement,
            margin_cushion=self.margin_cushion,
            status=self.status,
            updated_at=self.updated_at,
        )


class BalanceResp(msgspec.Struct, frozen=True):
    """One row of `GET /balance`."""

    token: str
    size: Decimal
    last_updated_at: int = 0

    def __post_init__(self) -> None:
        require_numbers(self.size)

    def to_domain(self) -> Balance:
        """The token balance."""
        return Balance(token=self.token, size=self.size, updated_at=self.last_updated_at)


class BalanceEvent(msgspec.Struct, frozen=True):
    """A WS `balance_events` payload: a settlement after a fill."""

    settlement_asset_name: str = ""
    settlement_asset_balance_after: Decimal = _ZERO
    created_at: int = 0

    def __post_init__(self) -> None:
        require_numbers(self.settlement_asset_balance_after)

    def to_domain(self) -> Balance:
        """The balance after the event."""
        return Balance(
            token=self.settlement_asset_name,
            size=self.settlement_asset_balance_after,
            updated_at=self.created_at,
        )


class PositionResp(msgspec.Struct, frozen=True):
    """`GET /positions` rows and the WS `positions` channel; `size` is signed."""

    market: str
    size: Decimal
    status: str = ""
    average_entry_price: str = ""
    unrealized_pnl: str = ""
    realized_positional_pnl: str = ""
    realized_pnl: str = ""  # the old (SEED v1.69) name
    liquidation_price: str = ""
    leverage: str = ""
    last_updated_at: int = 0

    def __post_init__(self) -> None:
        require_numbers(
            self.size,
            self.average_entry_price,
            self.unrealized_pnl,
            self.realized_positional_pnl,
            self.realized_pnl,
            self.liquidation_price,
            self.leverage,
        )

    def to_domain(self) -> Position:
        """The position."""
        return Position(
            market=self.market,
            size=self.size,
            average_entry_price=_decimal(self.average_entry_price),
            unrealized_pnl=_decimal(self.unrealized_pnl),
            realized_pnl=_decimal(self.realized_positional_pnl or self.realized_pnl),
            liquidation_price=_decimal_or_none(self.liquidation_price),
            leverage=_decimal_or_none(self.leverage),
            status=self.status,
            updated_at=self.last_updated_at,
        )


class OrderResp(msgspec.Struct, frozen=True):
    """`OrderResp` (§7.3): REST order answers and the WS `orders` channel."""

    id: str
    market: str
    side: Side
    type: OrderType
    size: Decimal
    status: OrderStatus
    client_id: str = ""
    instruction: str = "GTC"
    remaining_size: Decimal | None = None
    price: str = ""
    trigger_price: str = ""
    avg_fill_price: str = ""
    cancel_reason: str = ""
    flags: list[str] = []
    created_at: int = 0
    last_updated_at: int = 0
    seq_no: int = 0

    def __post_init__(self) -> None:
        require_numbers(
            self.size, self.remaining_size, self.price, self.trigger_price, self.avg_fill_price
        )

    def to_domain(self) -> Order:
        """The order snapshot; "0" prices (market orders, no trigger, no fill) become None."""
        return Order(
            id=self.id,
            client_id=self.client_id,
            market=self.market,
            side=self.side,
            type=self.type,
            instruction=_INSTRUCTIONS.get(self.instruction, TimeInForce.GTC),
            size=self.size,
            remaining_size=self.size if self.remaining_size is None else self.remaining_size,
            price=_decimal_or_none(self.price, zero_is_none=True),
            trigger_price=_decimal_or_none(self.trigger_price, zero_is_none=True),
            avg_fill_price=_decimal_or_none(self.avg_fill_price, zero_is_none=True),
            status=self.status,
            cancel_reason=self.cancel_reason,
            reduce_only="REDUCE_ONLY" in self.flags,
            created_at=self.created_at,
            updated_at=self.last_updated_at or self.created_at,
            seq_no=self.seq_no,
        )


class FillResp(msgspec.Struct, frozen=True):
    """`FillResult`: `GET /fills` rows and the WS `fills` channel."""

    id: str
    market: str
    side: Side
    price: Decimal
    size: Decimal
    order_id: str = ""
    client_id: str = ""
    fee: str = ""
    liquidity: str = ""
    realized_pnl: str = ""
    created_at: int = 0
    fill_type: str = "FILL"
    flags: list[str] = []

    def __post_init__(self) -> None:
        require_numbers(self.price, self.size, self.fee, self.realized_pnl)

    def to_domain(self) -> Fill:
        """The account's fill."""
        return Fill(
            id=self.id,
            order_id=self.order_id,
            client_id=self.client_id,
            market=self.market,
            side=self.side,
            price=self.price,
            size=self.size,
            fee=_decimal(self.fee),
            liquidity=self.liquidity,
            realized_pnl=_decimal(self.realized_pnl),
            created_at=self.created_at,
            fill_type=self.fill_type,
            flags=tuple(self.flags),
        )


class FundingPaymentResp(msgspec.Struct, frozen=True):
    """`GET /funding/payments` rows and the WS `funding_payments` channel."""

    id: str
    market: str
    payment: Decimal
    index: str = ""
    created_at: int = 0

    def __post_init__(self) -> None:
        require_numbers(self.payment, self.index)

    def to_domain(self) -> FundingPayment:
        """The funding payment."""
        return FundingPayment(
            id=self.id,
            market=self.market,
            payment=self.payment,
            index=_decimal(self.index),
            created_at=self.created_at,
        )


class CancelRow(msgspec.Struct, frozen=True):
    """One row of a batch-cancel answer: `QUEUED_FOR_CANCELLATION`, `ALREADY_CLOSED`, ..."""

    status: str
    id: str = ""
    client_id: str = ""
    market: str = ""


class BatchError(msgspec.Struct, frozen=True):
    """One rejected element of a batch create."""

    error: str = ""
    message: str = ""


class BatchCreateResp(msgspec.Struct, frozen=True):
    """`POST /orders/batch` answer."""

    orders: list[OrderResp] = []
    errors: list[BatchError | None] = []


class JwtResp(msgspec.Struct, frozen=True):
    """`POST /auth` answer."""

    jwt_token: str


class _HasDomain(Protocol):
    def to_domain(self) -> object: ...


def _decoder(kind: type[_HasDomain]) -> Callable[[bytes | msgspec.Raw], object]:
    decoder = msgspec.json.Decoder(kind)

    def decode(raw: bytes | msgspec.Raw) -> object:
        return decoder.decode(raw).to_domain()

    return decode


PRIVATE_DECODERS: dict[str, Callable[[bytes | msgspec.Raw], object]] = {
    "orders": _decoder(OrderResp),
    "fills": _decoder(FillResp),
    "positions": _decoder(PositionResp),
    "account": _decoder(AccountResp),
    "balance_events": _decoder(BalanceEvent),
    "funding_payments": _decoder(FundingPaymentResp),
}
"""Private WS channel family → `params.data` bytes to the domain object (raises msgspec errors)."""
