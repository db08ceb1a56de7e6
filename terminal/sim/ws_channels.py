"""WebSocket channel names (§11.4): parsing a name into what it routes on."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from decimal import Decimal

PRICE_TICKS = frozenset(
    {"0_0000001", "0_0000005", "0_000001", "0_00001", "0_0001", "0_001", "0_01", "0_1"}
    | {"1", "10", "100"}
)
PUBLIC_BY_MARKET = frozenset({"markets_summary", "bbo", "trades", "funding_data", "markets"})
PRIVATE_BY_MARKET = frozenset({"orders", "fills", "funding_payments"})
PRIVATE_ACCOUNT_WIDE = frozenset({"positions", "account", "balance_events"})
BARE_MEANS_ALL = frozenset({"markets_summary", "markets"})
ALL = "ALL"

_BOOK_VIEW = re.compile(r"^(snapshot|interactive)@15@(50|100)ms(?:@([0-9_]+))?$")


class ChannelError(ValueError):
    """A channel name the server does not serve; the text is the RPC error's `data`."""


@dataclass(frozen=True, slots=True)
class BookView:
    """A throttled order-book view: top 15 levels every `rate_ms`, optionally tick-grouped."""

    interactive: bool
    rate_ms: int
    tick: Decimal | None


@dataclass(frozen=True, slots=True)
class Channel:
    """One parsed channel name: its routing family and market ("ALL", or "" account-wide)."""

    name: str
    family: str
    market: str
    private: bool
    view: BookView | None = None
    """Set for snapshot / interactive order-book channels; None for `deltas` and the rest."""


def parse_channel(name: str, markets: Container[str]) -> Channel:
    """Parse and validate a channel name against the listed markets."""
    if not isinstance(name, str) or not name:
        raise ChannelError("invalid channel")
    family, _, rest = name.partition(".")
    if family in PRIVATE_ACCOUNT_WIDE:
        if rest:
            raise ChannelError(f"no parameters expected for {family} topic")
        return Channel(name, family, "", private=True)
    if family == "order_book":
        return _parse_book(name, rest, markets)
    if family not in PUBLIC_BY_MARKET and family not in PRIVATE_BY_MARKET:
        raise ChannelError("invalid channel")
    if not rest:
        if family not in BARE_MEANS_ALL:
            raise ChannelError(f"{family} needs a market or ALL")
        rest = ALL
    if rest != ALL and rest not in markets:
        raise ChannelError(f"unknown market {rest!r}")
    return Channel(name, family, rest, private=family in PRIVATE_BY_MARKET)


def _parse_book(name: str, rest: str, markets: Container[str]) -> Channel:
    market, _, spec = rest.partition(".")
    if market not in markets:
        raise ChannelError(f"unknown market {market!r}")
    if spec == "deltas":
        return Channel(name, "order_book", market, private=False)
    if spec.startswith("deltas"):
        raise ChannelError("no parameters expected for deltas topic")
    match = _BOOK_VIEW.match(spec)
    if match is None:
        raise ChannelError("invalid order_book channel")
    kind, rate, tick = match.groups()
    if tick is not None and tick not in PRICE_TICKS:
        raise ChannelError(f"invalid price_tick {tick!r}")
    view = BookView(
        interactive=kind == "interactive",
        rate_ms=int(rate),
        tick=Decimal(tick.replace("_", ".")) if tick else None,
    )
    return Channel(name, "order_book", market, private=False, view=view)
