"""Strict parsers for what clients send: JSON bodies, integers, cursors, felts and decimals.

Each one accepts only the plain ASCII forms of §2 and raises `VenueError` with a §9 code
(400) for anything else, so bad input never reaches the engine or the hash functions.
`int()` and `Decimal()` alone would take non-ASCII digits ("²", "١٢"), "_" separators,
exponents ("1e400"), "NaN" and "Infinity", and raise ValueError past 4,300 digits.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import msgspec

from terminal.sim.engine.errors import VenueError
from terminal.venues.paradex.crypto.stark_params import P as FELT_LIMIT

MAX_JSON_DEPTH = 32
"""No Paradex request nests deeper than 3; the limit is generous but finite."""
MAX_INT_DIGITS = 19  # int64, like every integer field of the venue
INT64_MAX = 2**63 - 1
MAX_CURSOR_DIGITS = 9
MAX_WHOLE_DIGITS = 15  # 10^15 USD or base units: far beyond any price or size
MAX_FRACTION_DIGITS = 18  # trailing zeros past the 8 decimals are allowed, as before

_INT = re.compile(rf"-?[0-9]{{1,{MAX_INT_DIGITS}}}", re.ASCII)
_CURSOR = re.compile(rf"[0-9]{{1,{MAX_CURSOR_DIGITS}}}", re.ASCII)
_DECIMAL = re.compile(
    rf"[0-9]{{1,{MAX_WHOLE_DIGITS}}}(?:\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?", re.ASCII
)
_HEX_FELT = re.compile(r"0[xX][0-9a-fA-F]{1,64}", re.ASCII)
_DECIMAL_FELT = re.compile(r"[0-9]{1,77}", re.ASCII)


def decode_json(raw: bytes | str) -> Any:
    """A request body or frame as JSON (None when empty); BINDING_ERROR when it is not JSON or
    nests deeper than MAX_JSON_DEPTH."""
    if not raw:
        return None
    try:
        value = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError) as exc:
        # msgspec raises RecursionError itself on deeply nested input
        raise VenueError("BINDING_ERROR", "request body is not valid JSON") from exc
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise VenueError("BINDING_ERROR", f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_int(
    text: str, name: str, *, low: int, high: int, code: str = "INVALID_REQUEST_PARAMETER"
) -> int:
    """A plain ASCII integer in [low, high]."""
    if not _INT.fullmatch(text):
        raise VenueError(code, f"{name} must be an integer")
    value = int(text)
    if not low <= value <= high:
        raise VenueError(code, f"{name} must be in [{low}, {high}]")
    return value


def parse_cursor(text: str) -> int:
    """A pagination cursor (an offset this server handed out)."""
    if not _CURSOR.fullmatch(text):
        raise VenueError("INVALID_REQUEST_PARAMETER", "invalid cursor")
    return int(text)


def felt_or_none(text: object) -> int | None:
    """A felt written as 0x-hex or decimal ASCII, in [0, P); None for anything else."""
    if not isinstance(text, str):
        return None
    if _HEX_FELT.fullmatch(text):
        value = int(text, 16)
    elif _DECIMAL_FELT.fullmatch(text):
        value = int(text)
    else:
        return None
    return value if value < FELT_LIMIT else None


def parse_felt(text: object, name: str, code: str) -> int:
    """A felt written as 0x-hex or decimal ASCII, in [0, P); `code` otherwise."""
    value = felt_or_none(text)
    if value is None:
        raise VenueError(code, f"{name} must be a StarkNet felt in 0x-hex or decimal")
    return value


def parse_decimal(value: object, name: str, code: str = "VALIDATION_ERROR") -> Decimal:
    """A non-negative decimal written as §2 does ("0.1", "67629.7") or a JSON integer."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise VenueError(code, f"{name} must be a decimal string")
    if not _DECIMAL.fullmatch(text):
        raise VenueError(code, f"{name} must be a plain non-negative decimal, got {text[:40]!r}")
    return Decimal(text)
