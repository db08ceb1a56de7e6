"""Tradable instruments and their rounding rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from terminal.domain.orders import Side


@dataclass(frozen=True, slots=True)
class Instrument:
    """A perpetual market's static description (Paradex `MarketResp`)."""

    symbol: str
    base_currency: str
    quote_currency: str
    settlement_currency: str
    tick_size: Decimal
    step_size: Decimal
    min_notional: Decimal
    max_order_size: Decimal
    position_limit: Decimal
    max_open_orders: int
    price_bands_width: Decimal
    max_slippage: Decimal
    funding_period_hours: int
    initial_margin_fraction: Decimal = Decimal(0)
    """Initial margin per unit of notional at the smallest position tier (0: unknown)."""
    maker_fee: Decimal = Decimal(0)
    """Fee rate of a resting (maker) fill."""
    taker_fee: Decimal = Decimal(0)
    """Fee rate of an aggressing (taker) fill."""

    def round_price(self, price: Decimal, side: Side | None = None) -> Decimal:
        """Snap a price to the tick: down for bids, up for asks, nearest when no side."""
        steps = price / self.tick_size
        if side is Side.BUY:
            steps = steps.to_integral_value(ROUND_FLOOR)
        elif side is Side.SELL:
            steps = steps.to_integral_value(ROUND_CEILING)
        else:
            steps = steps.to_integral_value()
        return (steps * self.tick_size).quantize(self.tick_size)

    def round_size(self, size: Decimal) -> Decimal:
        """Snap a size down to the order size increment."""
        steps = (size / self.step_size).to_integral_value(ROUND_FLOOR)
        return (steps * self.step_size).quantize(self.step_size)

    def is_on_tick(self, price: Decimal) -> bool:
        """Whether a price is an exact multiple of the tick size."""
        return price % self.tick_size == 0

    def is_on_step(self, size: Decimal) -> bool:
        """Whether a size is an exact multiple of the size increment."""
        return size % self.step_size == 0
