"""Why the venue closed an order: `cancel_reason` codes in words a trader reads at a glance."""

from __future__ import annotations

USER_CANCELED = "USER_CANCELED"

CANCEL_REASONS: dict[str, str] = {
    USER_CANCELED: "cancelled by you",
    "NOT_ENOUGH_MARGIN": "not enough margin",
    "EMPTY_MARKET": "nothing on the book to trade with",
    "POST_ONLY_WOULD_CROSS": "post-only would have crossed",
    "REMAINING_IOC_CANCEL": "rest not filled at once (IOC)",
    "UNEXPECTED_FAILURE": "unexpected failure at the venue",
    "DELEVERAGE": "account being deleveraged",
    "IN_LIQUIDATION": "account in liquidation",
    "SELF_TRADE": "would have traded with your own order",
    "ASSET_UNAVAILABLE": "asset unavailable",
    "ASSET_EXPIRED": "asset expired",
    "ORDER_TYPE_INVALID": "order type not allowed",
    "PRICE_NOT_AVAILABLE": "no mark price available",
    "EXPIRED": "order expired",
    "PRICE_OUTSIDE_BANDS": "price too far from the mark",
    "TIMEOUT": "timed out at the venue",
    "ORDER_EXCEEDS_POSITION_LIMIT": "would exceed the position limit",
    "MMP_TRIGGERED": "market-maker protection triggered",
    "MMP_FROZEN": "market-maker protection frozen",
    "MMP_DISABLED": "market-maker protection disabled",
    "MMP_GREEKS_UNAVAILABLE": "MMP: greeks unavailable",
    "MMP_NOT_CONFIGURED": "market-maker protection not configured",
    # Not a documented value: the embedded exchange's name for a reduce-only order that
    # could only have grown the position (PROTOCOL.md §7.3 leaves the set open).
    "REDUCE_ONLY_WOULD_INCREASE": "reduce-only would grow the position",
}
"""Every reason PROTOCOL.md §7.3 lists (SEED v1.69 and the SDK), in words."""


REJECTIONS = frozenset(
    {
        "NOT_ENOUGH_MARGIN",
        "POST_ONLY_WOULD_CROSS",
        "IN_LIQUIDATION",
        "ASSET_UNAVAILABLE",
        "ASSET_EXPIRED",
        "ORDER_TYPE_INVALID",
        "PRICE_NOT_AVAILABLE",
        "PRICE_OUTSIDE_BANDS",
        "ORDER_EXCEEDS_POSITION_LIMIT",
        "REDUCE_ONLY_WOULD_INCREASE",
    }
)
"""Reasons the venue's checks refuse an order for: an order closed for one of these before
anything traded was rejected, not cancelled (PROTOCOL.md §9: a rejection after acceptance
is a close with a reason, not an HTTP error)."""


def is_rejection(code: str) -> bool:
    """Whether an order closed for this reason was refused by the venue's checks."""
    return code in REJECTIONS


def describe_cancel_reason(code: str) -> str:
    """The reason in words; an unknown code reads as itself in lower case (the set is open)."""
    if not code:
        return ""
    return CANCEL_REASONS.get(code, code.replace("_", " ").lower())
