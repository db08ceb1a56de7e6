"""The live streams a venue publishes, named neutrally; each venue maps them to its channels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StreamKind(StrEnum):
    """What a stream carries (and the domain type its events are)."""

    BOOK = "book"
    """`BookUpdate`s of one market: a snapshot, then deltas with sequence numbers."""
    TRADES = "trades"
    """Public `Trade`s of one market."""
    BBO = "bbo"
    """`Bbo` changes of one market."""
    SUMMARIES = "summaries"
    """`MarketSummary` of every market."""
    ORDERS = "orders"
    """The account's `Order` updates, every market."""
    FILLS = "fills"
    """The account's `Fill`s, every market."""
    POSITIONS = "positions"
    """The account's `Position` updates."""
    ACCOUNT = "account"
    """The account's `AccountSummary` updates."""


PRIVATE_KINDS = frozenset(
    {StreamKind.ORDERS, StreamKind.FILLS, StreamKind.POSITIONS, StreamKind.ACCOUNT}
)


@dataclass(frozen=True, slots=True)
class Stream:
    """One stream: a kind, and its market for per-market kinds."""

    kind: StreamKind
    market: str | None = None

    @property
    def private(self) -> bool:
        """Whether the stream needs an authenticated session."""
        return self.kind in PRIVATE_KINDS
