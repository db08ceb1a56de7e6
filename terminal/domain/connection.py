"""A venue connection's state, as every venue reports it and the panels show it."""

from __future__ import annotations

from enum import StrEnum


class ConnectionState(StrEnum):
    """Where a venue's live feed stands."""

    CONNECTING = "CONNECTING"
    LIVE = "LIVE"
    STALE = "STALE"
    RECONNECTING = "RECONNECTING"
    CLOSED = "CLOSED"

    @property
    def is_down(self) -> bool:
        """Whether the feed is not connected at all (reconnecting or closed)."""
        return self in (ConnectionState.RECONNECTING, ConnectionState.CLOSED)
