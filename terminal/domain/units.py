"""Exact fixed-point units: Paradex keeps prices and sizes with 8 decimals.

The order book and the SBE wire hold integers in these units (value × 10^8); everything a
person sees or types is a `Decimal`. Conversions here are exact or raise.
"""

from __future__ import annotations

import re
from decimal import Decimal

DECIMALS = 8
SCALE: int = 10**DECIMALS
_ZEROS = "0" * DECIMALS
# Plain ASCII decimal text: `int()` alone would also take "_", spaces, a second sign or
# non-ASCII digits, and misread the fraction part ("1.5_0" as 0.15).
_DECIMAL_TEXT = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?")


class PrecisionError(ValueError):
    """A value has more than 8 decimals and cannot be held in chain units."""


def units_from_str(text: str) -> int:
    """Parse a decimal string ("67629.7", "-0.01", "5") into integer units, exactly."""
    match = _DECIMAL_TEXT.fullmatch(text)
    if match is None or not (match[2] or match[3]):
        raise ValueError(f"not a decimal number: {text!r}")
    sign, whole, frac = match.groups("")
    if len(frac) > DECIMALS:
        if frac[DECIMALS:].strip("0"):
            raise PrecisionError(f"{text!r} has more than {DECIMALS} decimals")
        frac = frac[:DECIMALS]
    magnitude = int((whole or "0") + (frac + _ZEROS)[:DECIMALS])
    return -magnitude if sign == "-" else magnitude


def units_from_decimal(value: Decimal) -> int:
    """Convert a `Decimal` into integer units, exactly."""
    scaled = value.scaleb(DECIMALS)
    if scaled != scaled.to_integral_value():
        raise PrecisionError(f"{value} has more than {DECIMALS} decimals")
    return int(scaled)


def decimal_from_units(units: int) -> Decimal:
    """Convert integer units back into a normalised `Decimal` ("67629.7", not "67629.70000000")."""
    value = Decimal(units).scaleb(-DECIMALS)
    return value.normalize() if units else Decimal(0)
