"""Kana errors: each a `VenueError`, so services handle them like any venue's."""

from __future__ import annotations

from terminal.domain.errors import VenueError


class KanaError(VenueError):
    """Base of every Kana error: `.code`, `.message`, `.http_status` (None off HTTP)."""


class KanaRestError(KanaError):
    """The REST API failed or answered `success: false`."""


class MarketNotListed(KanaError):
    """`getMarketInfo` knows no market with this id."""


class UnrepresentableMarket(KanaError):
    """A market's tick or lot is not an exact decimal of at most 8 places (domain units)."""


class KanaDecodeError(KanaError):
    """An indexer message that does not match its documented shape."""


class InvalidAddress(KanaError):
    """Not an Aptos account address (0x and up to 64 hex digits)."""


class UnknownChannel(KanaError):
    """A channel name this venue did not hand out."""
