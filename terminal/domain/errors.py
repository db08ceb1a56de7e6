"""Errors any venue raises, carrying the venue's own code and message.

Services catch these; each venue's errors subclass them (`ParadexError` is a
`VenueError`), so the venue's code travels up unchanged and nothing above the venue
needs to know which venue spoke.
"""

from __future__ import annotations


class VenueError(Exception):
    """A venue refused or failed a request: `.code`, `.message`, `.http_status` (or None)."""

    def __init__(self, code: str | int, message: str, http_status: int | None = None) -> None:
        super().__init__(code, message, http_status)
        self.code = code
        self.message = message
        self.http_status = http_status

    def __str__(self) -> str:
        status = f" (HTTP {self.http_status})" if self.http_status is not None else ""
        return f"{self.code}: {self.message}{status}"


class VenueRateLimited(VenueError):
    """The venue asked us to slow down; `retry_after` is its wait in seconds, if it said."""

    retry_after: float | None = None


class VenueOrderRejected(VenueError):
    """The venue refused an order request; the code says why."""


class VenueOrderStatusUnknown(VenueError):
    """An order request got no clear answer and the lookup did not find the order.

    `client_id` names it; the trader decides whether to look again or resend.
    """

    client_id: str = ""


class StreamDisconnected(VenueError):
    """The live connection is down, or dropped while a request was waiting."""


class TradingUnavailable(Exception):
    """The venue connection is read-only (no key, or a venue without trading)."""
