"""What the trading service tells the notifications log and the panels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from terminal.domain.orders import Order


class EventKind(StrEnum):
    """Kinds of trading event, in the words the log shows."""

    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNKNOWN = "status unknown"
    MODIFIED = "modified"
    CANCEL_SENT = "cancel sent"
    CANCEL_ALL = "cancel-all"
    FLATTEN = "flatten"
    ERROR = "error"


class Level(StrEnum):
    """How loud an event is."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class TradingEvent:
    """One thing that happened to the trader's orders, with the words to show."""

    kind: EventKind
    level: Level
    text: str
    market: str | None = None
    order: Order | None = None
    client_id: str | None = None
    """Set on UNKNOWN: the order to reconcile."""
