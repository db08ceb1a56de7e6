"""Events the engine hands to its listeners, each with its exact §11.4 JSON payload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PublicEvent:
    """Public channel data: family is order_book, trades, bbo, markets_summary or funding_data."""

    family: str
    market: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PrivateEvent:
    """One account's channel data: orders, fills, positions, account, balance_events,
    funding_payments."""

    account: int
    family: str
    market: str | None
    payload: dict[str, Any]


VenueEvent = PublicEvent | PrivateEvent
Listener = Callable[[VenueEvent], None]
