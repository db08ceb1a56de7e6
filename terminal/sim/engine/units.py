"""Integer units (value × 10^8) for the engine's hot paths, and their wire strings."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.units import SCALE, PrecisionError, units_from_str

__all__ = ["SCALE", "fmt", "mul", "parse_units", "to_float"]


_FMT_CACHE: dict[int, str] = {}
_FMT_CACHE_MAX = 200_000


def fmt(units: int) -> str:
    """Render units as a plain decimal string: 6762970000000 -> "67629.7", 0 -> "0"."""
    # prices and sizes repeat endlessly on a book: formatting dominates publishing otherwise
    text = _FMT_CACHE.get(units)
    if text is None:
        whole, frac = divmod(abs(units), SCALE)
        text = f"{whole}.{frac:08d}".rstrip("0").rstrip(".") if frac else str(whole)
        if units < 0:
            text = "-" + text
        if len(_FMT_CACHE) >= _FMT_CACHE_MAX:
            _FMT_CACHE.clear()
        _FMT_CACHE[units] = text
    return text


def mul(a: int, b: int) -> int:
    """Product of two unit values, in units, rounded half away from zero."""
    p = a * b
    q, r = divmod(abs(p), SCALE)
    if 2 * r >= SCALE:
        q += 1
    return q if p >= 0 else -q


def parse_units(value: object) -> int:
    """Parse a decimal string (or int) into units; ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        return value * SCALE
    if isinstance(value, Decimal):
        return units_from_str(str(value))
    if not isinstance(value, str):
        raise ValueError("not a decimal string")
    text = value.strip()
    try:
        if not text or not text.lstrip("+-").replace(".", "", 1).isdigit():
            text = format(Decimal(text), "f")
        return units_from_str(text)
    except PrecisionError:
        raise
    except (ValueError, ArithmeticError) as exc:
        raise ValueError(f"not a decimal: {value!r}") from exc


def to_float(units: int) -> float:
    """A unit value as a JSON number (klines only)."""
    return units / SCALE
