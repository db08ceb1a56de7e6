"""Pre-trade checks: a ticket's text fields in, a valid order (or what is wrong) out.

Every message says what is wrong and what would be valid, in the trader's units. The
same checks the venue makes are made here first (tick, size increment, minimum value,
price band, position limit, margin), so a bad order is never sent; the preview adds what
no venue tells before the fact: the notional, the fee and the initial margin the order
would use, and the free collateral left after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from enum import StrEnum

from terminal.domain.instruments import Instrument
from terminal.domain.orders import NewOrder, OrderType, Side, TimeInForce

ZERO = Decimal(0)


class SizeUnit(StrEnum):
    """How the ticket's size field is read."""

    BASE = "base"
    USD = "usd"


@dataclass(frozen=True, slots=True)
class TicketInput:
    """What the trader typed and chose."""

    side: Side
    type: OrderType
    size_text: str
    price_text: str = ""
    trigger_text: str = ""
    instruction: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    size_unit: SizeUnit = SizeUnit.BASE


@dataclass(frozen=True, slots=True)
class MarketContext:
    """What the checks need to know of the market and the account right now."""

    instrument: Instrument
    best_bid: Decimal | None = None
    best_ask: Decimal | None = None
    mark: Decimal | None = None
    position: Decimal = ZERO
    """Signed size of the current position (+ long, − short)."""
    free_collateral: Decimal | None = None
    """None when unknown (no account data yet): the margin check is then skipped."""
    fat_finger_notional: Decimal | None = None
    """Orders above this value ask for one confirmation (None: never)."""


@dataclass(frozen=True, slots=True)
class TicketCheck:
    """The outcome: the order to send (None if anything is wrong), messages, preview."""

    order: NewOrder | None
    errors: dict[str, str] = field(default_factory=dict)
    """Field name ("size", "price", "trigger", "order") → what is wrong."""
    size: Decimal | None = None
    notional: Decimal | None = None
    fee: Decimal | None = None
    initial_margin: Decimal | None = None
    free_after: Decimal | None = None
    needs_confirmation: bool = False
    """The notional is above the fat-finger limit: ask once before sending."""

    @property
    def ok(self) -> bool:
        """Whether the order can be sent."""
        return self.order is not None


def parse_decimal(text: str) -> Decimal | None:
    """A plain decimal number ("1", "0.25", "1,234.5"), or None: no exponents, NaN, signs
    other than a leading minus, or non-ASCII digits."""
    cleaned = text.strip().replace(",", "")
    body = cleaned.removeprefix("-")
    if not body or not body.replace(".", "", 1).isascii() or body.count(".") > 1:
        return None
    if not body.replace(".", "", 1).isdigit():
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def needs_price(order_type: OrderType) -> bool:
    """Whether the order type carries a limit price."""
    return not order_type.is_market


def smallest_size(instrument: Instrument, price: Decimal | None) -> Decimal:
    """The smallest valid size at `price`: one increment, raised to the minimum value."""
    step = instrument.step_size
    if price is None or price <= 0 or instrument.min_notional <= 0:
        return step
    steps = (instrument.min_notional / price / step).to_integral_value(ROUND_CEILING)
    return max(steps, Decimal(1)) * step


def check_ticket(ticket: TicketInput, ctx: MarketContext) -> TicketCheck:
    """Validate `ticket` against the market and the account; build the order if valid."""
    errors: dict[str, str] = {}
    inst = ctx.instrument
    price = _limit_price(ticket, ctx, errors)
    trigger = _trigger_price(ticket, inst, errors)
    reference = price if price is not None else _touch(ticket.side, ctx) or ctx.mark
    size = _size(ticket, inst, reference, errors)
    notional = size * reference if size is not None and reference is not None else None
    if size is not None and notional is not None:
        _check_limits(ticket, ctx, size, notional, errors)
    fee = initial = free_after = None
    if notional is not None:
        fee = notional * _fee_rate(ticket, inst, price, ctx)
        initial = ZERO if ticket.reduce_only else notional * inst.initial_margin_fraction
        if ctx.free_collateral is not None:
            free_after = ctx.free_collateral - initial - fee
            if free_after < 0 and "size" not in errors:
                errors["size"] = (
                    f"needs {_money(initial + fee)} {inst.quote_currency} of margin and fee; "
                    f"{_money(ctx.free_collateral)} free"
                )
    order = None
    if not errors and size is not None:
        order = NewOrder(
            market=inst.symbol,
            side=ticket.side,
            type=ticket.type,
            size=size,
            price=price,
            instruction=ticket.instruction,
            trigger_price=trigger,
            reduce_only=ticket.reduce_only,
        )
    limit = ctx.fat_finger_notional
    return TicketCheck(
        order=order,
        errors=errors,
        size=size,
        notional=notional,
        fee=fee,
        initial_margin=initial,
        free_after=free_after,
        needs_confirmation=bool(order and limit is not None and notional and notional > limit),
    )


def _touch(side: Side, ctx: MarketContext) -> Decimal | None:
    """The price a market order of `side` would meet first."""
    return ctx.best_ask if side is Side.BUY else ctx.best_bid


def _limit_price(ticket: TicketInput, ctx: MarketContext, errors: dict[str, str]) -> Decimal | None:
    if not needs_price(ticket.type):
        return None
    inst = ctx.instrument
    price = parse_decimal(ticket.price_text)
    if price is None:
        errors["price"] = "price: enter a number, e.g. " + str(_touch(ticket.side, ctx) or "100")
        return None
    if price <= 0:
        errors["price"] = "price must be above 0"
        return None
    if not inst.is_on_tick(price):
        errors["price"] = (
            f"price must be a multiple of {inst.tick_size} "
            f"(nearest: {inst.round_price(price, ticket.side)})"
        )
        return None
    if ctx.mark is not None and inst.price_bands_width > 0:
        low = ctx.mark * (1 - inst.price_bands_width)
        high = ctx.mark * (1 + inst.price_bands_width)
        if not low <= price <= high:
            errors["price"] = (
                f"price is outside the band {inst.round_price(low, Side.SELL)} – "
                f"{inst.round_price(high, Side.BUY)} (mark ± {inst.price_bands_width:%})"
            )
    return price


def _trigger_price(ticket: TicketInput, inst: Instrument, errors: dict[str, str]) -> Decimal | None:
    if not ticket.type.is_conditional:
        return None
    trigger = parse_decimal(ticket.trigger_text)
    if trigger is None or trigger <= 0:
        errors["trigger"] = "trigger price: enter a number above 0"
        return None
    if not inst.is_on_tick(trigger):
        errors["trigger"] = (
            f"trigger must be a multiple of {inst.tick_size} (nearest: {inst.round_price(trigger)})"
        )
        return None
    return trigger


def _size(
    ticket: TicketInput,
    inst: Instrument,
    reference: Decimal | None,
    errors: dict[str, str],
) -> Decimal | None:
    amount = parse_decimal(ticket.size_text)
    if amount is None:
        errors["size"] = f"size: enter a number, e.g. {smallest_size(inst, reference)}"
        return None
    if amount <= 0:
        errors["size"] = "size must be above 0"
        return None
    if ticket.size_unit == SizeUnit.USD:
        if reference is None or reference <= 0:
            errors["size"] = "no price yet to turn USD into a size"
            return None
        size = inst.round_size(amount / reference)
        if size <= 0:
            errors["size"] = f"{amount} USD is less than one {inst.step_size} step"
            return None
        return size
    if not inst.is_on_step(amount):
        errors["size"] = (
            f"size must be a multiple of {inst.step_size} (nearest: {inst.round_size(amount)})"
        )
        return None
    return amount


def _check_limits(
    ticket: TicketInput,
    ctx: MarketContext,
    size: Decimal,
    notional: Decimal,
    errors: dict[str, str],
) -> None:
    inst = ctx.instrument
    if inst.max_order_size > 0 and size > inst.max_order_size:
        errors.setdefault("size", f"size is above the largest order, {inst.max_order_size}")
    if inst.min_notional > 0 and notional < inst.min_notional and not ticket.reduce_only:
        errors.setdefault(
            "size",
            f"order value {_money(notional)} is below the minimum {inst.min_notional} "
            f"(smallest size: {smallest_size(inst, notional / size)})",
        )
    signed = size if ticket.side is Side.BUY else -size
    if ticket.reduce_only:
        if ctx.position == 0 or (ctx.position > 0) == (signed > 0):
            errors.setdefault("order", "reduce-only needs an open position on the other side")
        return
    after = abs(ctx.position + signed)
    if inst.position_limit > 0 and after > inst.position_limit > abs(ctx.position):
        errors.setdefault(
            "size",
            f"position would be {after} {inst.base_currency}; the limit is {inst.position_limit}",
        )


def _fee_rate(
    ticket: TicketInput, inst: Instrument, price: Decimal | None, ctx: MarketContext
) -> Decimal:
    """Maker for resting orders, taker for those that cross or cannot rest."""
    if ticket.instruction is TimeInForce.POST_ONLY:
        return inst.maker_fee
    if price is None or ticket.instruction is TimeInForce.IOC:
        return inst.taker_fee
    touch = _touch(ticket.side, ctx)
    crosses = touch is not None and (price >= touch if ticket.side is Side.BUY else price <= touch)
    return inst.taker_fee if crosses and not ticket.type.is_conditional else inst.maker_fee


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"
