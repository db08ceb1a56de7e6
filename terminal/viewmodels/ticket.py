"""The order ticket's state: what the trader typed, checked as they type, ready to send.

The ticket never sends anything itself. `submit()` emits `order_ready(NewOrder)` when
the order is valid (or `confirm_needed(text, NewOrder)` first when it is above the
fat-finger limit); the trading binding sends it. Invalid input leaves submit disabled
with a message per field that says what would be valid (terminal.domain.pretrade).

The price follows the touch (best bid for a buy, best ask for a sell) until the trader
types one; a new market resets that. The size starts at the smallest valid order for
the market, then keeps whatever the trader last used there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.instruments import Instrument
from terminal.domain.orders import NewOrder, OrderType, Side, TimeInForce
from terminal.domain.pretrade import (
    MarketContext,
    SizeUnit,
    TicketCheck,
    TicketInput,
    check_ticket,
    needs_price,
    parse_decimal,
    smallest_size,
)
from terminal.viewmodels.formatting import decimals_of, format_decimal
from terminal.viewmodels.throttle import Throttle

ORDER_TYPES = (
    OrderType.LIMIT,
    OrderType.MARKET,
    OrderType.STOP_MARKET,
    OrderType.STOP_LIMIT,
    OrderType.TAKE_PROFIT_MARKET,
    OrderType.TAKE_PROFIT_LIMIT,
)
INSTRUCTIONS = (TimeInForce.GTC, TimeInForce.IOC, TimeInForce.POST_ONLY)
SIZE_PRESETS = (1, 2, 5, 10)
"""Ladder/ticket size presets, in multiples of the market's smallest valid order."""

SizeMemory = Callable[[str], str | None]


PREVIEW_MS = 100
"""How often the preview follows the quotes: at 60 Hz it was ~8 % of the UI thread's time
under a 3k msgs/s feed (profiled), for figures no one reads that fast."""


class OrderTicketModel(QObject):
    """One order being composed for the selected market."""

    changed = Signal()
    order_ready = Signal(object)
    confirm_needed = Signal(str, object)
    size_used = Signal(str, str)
    """(market, size text) after an order is handed over: the binding remembers it."""

    def __init__(
        self,
        *,
        remembered_size: SizeMemory | None = None,
        parent: QObject | None = None,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(parent)
        self._remembered = remembered_size or (lambda market: None)
        self._input = TicketInput(Side.BUY, OrderType.LIMIT, "")
        self._ctx: MarketContext | None = None
        self._price_typed = False
        # The size is the market's default until the trader picks one; the default needs a
        # price (the minimum order value), so it is redone when the first quotes arrive.
        self._size_is_default = False
        self._check = TicketCheck(order=None, errors={"order": "no market yet"})
        # Quotes move at feed rate; the preview is recomputed ten times a second (text a
        # trader reads; a submit rechecks at once, so an order never rests on a stale check).
        self._throttle = Throttle(self._recheck, PREVIEW_MS, parent=self, timer=timer)

    # -- what the panel reads -----------------------------------------------------------

    @property
    def input(self) -> TicketInput:
        """The fields as typed and chosen."""
        return self._input

    @property
    def check(self) -> TicketCheck:
        """The latest validation and preview."""
        return self._check

    @property
    def instrument(self) -> Instrument | None:
        """The market the ticket is for."""
        return self._ctx.instrument if self._ctx else None

    @property
    def context(self) -> MarketContext | None:
        """Market and account figures the checks use."""
        return self._ctx

    @property
    def enabled(self) -> bool:
        """Whether submit can be pressed."""
        return self._check.ok

    def preview_lines(self) -> list[tuple[str, str]]:
        """(label, value) rows: notional, fee, initial margin, free collateral after."""
        check, inst = self._check, self.instrument
        quote = inst.quote_currency if inst else ""
        rows = (
            ("Notional", check.notional),
            ("Est. fee", check.fee),
            ("Initial margin", check.initial_margin),
            ("Free after", check.free_after),
        )
        return [(label, _money(value, quote)) for label, value in rows]

    def preset_sizes(self) -> list[str]:
        """Size presets for this market: multiples of the smallest valid order."""
        inst = self.instrument
        if inst is None:
            return []
        smallest = smallest_size(inst, self._reference_price())
        return [_plain(smallest * n) for n in SIZE_PRESETS]

    # -- market and account feed --------------------------------------------------------

    def set_instrument(self, instrument: Instrument) -> None:
        """Compose for another market: price follows its touch, size is its default."""
        self._ctx = MarketContext(instrument)
        self._price_typed = False
        remembered = self._remembered(instrument.symbol)
        self._size_is_default = remembered is None
        size = remembered or _plain(smallest_size(instrument, None))
        self._input = replace(self._input, size_text=size, price_text="", trigger_text="")
        self._recheck()

    def set_quotes(self, best_bid: Decimal | None, best_ask: Decimal | None) -> None:
        """The market's best bid and ask moved."""
        ctx = self._ctx
        if ctx is None or (ctx.best_bid, ctx.best_ask) == (best_bid, best_ask):
            return
        self._ctx = replace(ctx, best_bid=best_bid, best_ask=best_ask)
        if not self._price_typed:
            self._follow_touch()
        if self._size_is_default and self._touch() is not None:
            self._size_is_default = False
            size = smallest_size(ctx.instrument, self._touch())
            self._input = replace(self._input, size_text=_plain(size))
        self._throttle()

    def set_mark(self, mark: Decimal | None) -> None:
        """The market's mark price (for the price band)."""
        if self._ctx is not None and self._ctx.mark != mark:
            self._ctx = replace(self._ctx, mark=mark)
            self._throttle()

    def set_account(self, position: Decimal, free_collateral: Decimal | None) -> None:
        """The position in this market and the account's free collateral."""
        ctx = self._ctx
        if ctx is not None and (ctx.position, ctx.free_collateral) != (position, free_collateral):
            self._ctx = replace(ctx, position=position, free_collateral=free_collateral)
            self._throttle()

    def set_fat_finger(self, notional: Decimal | None) -> None:
        """Orders above this notional ask for one confirmation."""
        if self._ctx is not None:
            self._ctx = replace(self._ctx, fat_finger_notional=notional)
            self._recheck()

    # -- the trader's input -------------------------------------------------------------

    def set_side(self, side: Side) -> None:
        """Buy or sell; an untyped price moves to the new side's touch."""
        self._edit(side=side)
        if not self._price_typed:
            self._follow_touch()
            self._recheck()

    def set_type(self, order_type: OrderType) -> None:
        """One of ORDER_TYPES."""
        self._edit(type=order_type)

    def set_instruction(self, instruction: TimeInForce) -> None:
        """GTC, IOC or POST_ONLY."""
        self._edit(instruction=instruction)

    def set_reduce_only(self, on: bool) -> None:
        """Only reduce the position."""
        self._edit(reduce_only=on)

    def set_size_unit(self, unit: SizeUnit) -> None:
        """Read the size in base units or in USD notional."""
        self._edit(size_unit=unit)

    def set_size_text(self, text: str) -> None:
        """The size field as typed."""
        self._size_is_default = False
        self._edit(size_text=text)

    def set_price_text(self, text: str) -> None:
        """The price field as typed (it stops following the touch)."""
        self._price_typed = bool(text.strip())
        self._edit(price_text=text)

    def set_trigger_text(self, text: str) -> None:
        """The trigger price field as typed."""
        self._edit(trigger_text=text)

    def step_price(self, ticks: int) -> None:
        """Move the price `ticks` ticks up (+) or down (−), from the touch if empty."""
        inst = self.instrument
        if inst is None:
            return
        field = "trigger_text" if not needs_price(self._input.type) else "price_text"
        current = parse_decimal(getattr(self._input, field)) or self._touch()
        if current is None:
            return
        stepped = inst.round_price(current) + inst.tick_size * ticks
        if stepped <= 0:
            return
        if field == "price_text":
            self._price_typed = True
        self._edit(**{field: self._price_text(stepped)})

    def follow_touch(self) -> None:
        """Put the price back on the touch and keep following it."""
        self._price_typed = False
        self._follow_touch()
        self._recheck()

    def submit(self) -> bool:
        """Hand the order over if valid (asking first above the fat-finger limit)."""
        self._recheck()
        check = self._check
        if check.order is None:
            return False
        if check.needs_confirmation:
            inst = self.instrument
            quote = inst.quote_currency if inst else ""
            self.confirm_needed.emit(
                f"{check.order.describe()} is worth {_money(check.notional, quote)}, above "
                f"the fat-finger limit. Send it?",
                check.order,
            )
            return False
        self.confirmed(check.order)
        return True

    def confirmed(self, order: NewOrder) -> None:
        """The trader confirmed (or no confirmation was needed): hand the order over."""
        self.size_used.emit(order.market, self._input.size_text)
        self.order_ready.emit(order)

    def order_at(self, side: Side, price: Decimal, order_type: OrderType) -> NewOrder | None:
        """The ticket's size at `price` on `side` (for ladder and hotkey trading), or None
        with the ticket showing why."""
        if self._ctx is None:
            return None
        ticket = replace(
            self._input,
            side=side,
            type=order_type,
            price_text="" if order_type.is_market else self._price_text(price),
            trigger_text=self._price_text(price) if order_type.is_conditional else "",
        )
        check = check_ticket(ticket, self._ctx)
        if check.order is None:
            self._check = check
            self.changed.emit()
        return check.order

    # -- internals ----------------------------------------------------------------------

    def _edit(self, **changes: object) -> None:
        self._input = replace(self._input, **changes)  # type: ignore[arg-type]
        self._recheck()

    def _touch(self) -> Decimal | None:
        ctx = self._ctx
        if ctx is None:
            return None
        return ctx.best_bid if self._input.side is Side.BUY else ctx.best_ask

    def _reference_price(self) -> Decimal | None:
        return parse_decimal(self._input.price_text) or self._touch()

    def _price_text(self, price: Decimal) -> str:
        inst = self.instrument
        if inst is None:
            return _plain(price)
        return format_decimal(price, decimals_of(inst.tick_size), thousands=False)

    def _follow_touch(self) -> None:
        touch = self._touch()
        text = self._price_text(touch) if touch is not None else ""
        if text != self._input.price_text:
            self._input = replace(self._input, price_text=text)

    def _recheck(self) -> None:
        if self._ctx is None:
            return
        self._check = check_ticket(self._input, self._ctx)
        self.changed.emit()


def _plain(value: Decimal) -> str:
    return format(value.normalize() if value == value.to_integral() else value, "f")


def _money(value: Decimal | None, quote: str) -> str:
    return "—" if value is None else f"{format_decimal(value, 2)} {quote}".rstrip()
