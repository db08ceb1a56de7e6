"""Kana markets: `getMarketInfo` in, the domain's `Instrument` and the market's scales out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

import msgspec

from terminal.domain.instruments import Instrument
from terminal.venues.kana.units import MarketUnits, parse_count


class MarketInfo(msgspec.Struct, frozen=True):
    """One row of `GET /getMarketInfo?marketId=…` (Kana's REST docs; other fields ignored)."""

    market_id: str
    base_name: str
    base_decimals: int
    quote_decimals: int
    lot_size: str
    tick_size: str
    min_lots: str
    max_lots: str = "0"
    max_leverage: str = "0"
    maintenance_margin: str = "0"
    quote_precision: int = 0

    def to_domain(self) -> KanaMarket:
        """The market's scales, its terminal symbol and its `Instrument`."""
        units = MarketUnits.of(
            base_decimals=self.base_decimals,
            quote_decimals=self.quote_decimals,
            lot_size=parse_count(self.lot_size),
            tick_size=parse_count(self.tick_size),
        )
        base, _, quote = self.base_name.partition("/")
        quote = quote or "USDC"
        max_size = units.size(parse_count(self.max_lots))
        instrument = Instrument(
            symbol=f"{base}-{quote}-PERP",
            base_currency=base,
            quote_currency=quote,
            settlement_currency=quote,
            tick_size=units.tick,
            step_size=units.lot,
            # Kana states a minimum size (min_lots), not a notional; the rest it leaves out.
            min_notional=Decimal(0),
            max_order_size=max_size,
            position_limit=max_size,
            max_open_orders=0,
            price_bands_width=Decimal(0),
            max_slippage=Decimal(0),
            funding_period_hours=0,
        )
        return KanaMarket(
            market_id=self.market_id,
            symbol=instrument.symbol,
            units=units,
            instrument=instrument,
            min_size=units.size(parse_count(self.min_lots)),
            max_leverage=parse_count(self.max_leverage),
        )


class MarketInfoResponse(msgspec.Struct, frozen=True):
    """The envelope: `{"success"|"status": bool, "message": str, "data": [MarketInfo]}`."""

    data: list[MarketInfo] | None = None
    success: bool | None = None
    status: bool | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        """Whether the API said it succeeded (the docs spell the flag both ways)."""
        return bool(self.success if self.success is not None else self.status)


@dataclass(frozen=True, slots=True)
class KanaMarket:
    """A loaded market: its Kana id, the terminal's symbol, scales and instrument."""

    market_id: str
    symbol: str
    units: MarketUnits
    instrument: Instrument
    min_size: Decimal
    max_leverage: int

    def with_symbol(self, symbol: str) -> KanaMarket:
        """The same market under another symbol (two markets on one pair)."""
        return dataclasses.replace(
            self, symbol=symbol, instrument=dataclasses.replace(self.instrument, symbol=symbol)
        )
