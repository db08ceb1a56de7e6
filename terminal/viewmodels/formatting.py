"""How numbers and times read on screen: one place for every display rule.

Prices and sizes arrive as `Decimal` or as integer units (× 10^8); both format without
going through float, so a displayed price is always the exact price.
"""

from __future__ import annotations

import time
from decimal import ROUND_HALF_EVEN, Decimal

from terminal.domain.units import DECIMALS, SCALE, decimal_from_units

_COMPACT = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"))
_THOUSAND = Decimal(1000)


def decimals_of(increment: Decimal) -> int:
    """Number of decimals an increment such as a tick (0.1) or step (0.001) implies."""
    exponent = increment.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_decimal(value: Decimal, decimals: int, *, thousands: bool = True) -> str:
    """A Decimal rounded half-even to `decimals`, with optional thousands separators; what
    rounds to zero shows unsigned ("0.00", never "-0.00")."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_EVEN)
    if rounded.is_zero():
        rounded = abs(rounded)
    return f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"


def format_units(units: int, decimals: int, *, thousands: bool = True) -> str:
    """Integer units (× 10^8) as text with `decimals` places, by integer arithmetic.

    Values on the tick/step grid format exactly; anything finer is truncated toward zero,
    which never happens for book prices and sizes (they live on the grid).
    """
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), SCALE)
    head = f"{whole:,}" if thousands else str(whole)
    if decimals <= 0:
        return sign + head
    digits = f"{frac:0{DECIMALS}d}"[:decimals].ljust(decimals, "0")
    return f"{sign}{head}.{digits}"


def format_units_fit(units: int, decimals: int, chars: int) -> str:
    """Integer units as `format_units` would, in at most `chars` characters: fewer decimals
    first ("1,234.567" → "1,234.5"), then compactly ("123.5K", "1.2M") — a ladder cell."""
    for places in range(decimals, -1, -1):
        text = format_units(units, places)
        if len(text) <= chars:
            return text
    return format_compact(decimal_from_units(units))


def format_price(price: Decimal, tick_size: Decimal) -> str:
    """A price to the instrument's tick decimals, with thousands separators."""
    return format_decimal(price, decimals_of(tick_size))


def format_size(size: Decimal, step_size: Decimal) -> str:
    """A size to the instrument's step decimals, with thousands separators."""
    return format_decimal(size, decimals_of(step_size))


def format_compact(value: Decimal) -> str:
    """A large amount compactly: 1.2M, 3.4B, 950.3K; small amounts as integers."""
    magnitude = abs(value)
    for threshold, suffix in _COMPACT:
        if magnitude >= threshold:
            return format_decimal(value / threshold, 1, thousands=False) + suffix
    if magnitude >= _THOUSAND * 10:
        return format_decimal(value / _THOUSAND, 1, thousands=False) + "K"
    return format_decimal(value, 0)


def format_percent(rate: Decimal, decimals: int = 2) -> str:
    """A rate (0.0123 = 1.23 %) as a signed percentage: "+1.23%", "-0.50%", "0.00%"."""
    text = format_decimal(rate * 100, decimals, thousands=False)
    if text.lstrip("-").strip("0.") == "":
        return text.lstrip("-") + "%"
    return ("+" + text if not text.startswith("-") else text) + "%"


def format_funding(rate: Decimal) -> str:
    """A funding rate as a signed percentage with 4 decimals: "+0.0100%"."""
    return format_percent(rate, 4)


def format_time_ms(timestamp_ms: int) -> str:
    """Epoch milliseconds as local wall-clock time HH:MM:SS.mmm."""
    seconds, millis = divmod(timestamp_ms, 1000)
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{millis:03d}"


_DAY_S = 86_400


def format_tick_time(seconds: float, spacing: float) -> str:
    """A time axis tick (epoch seconds, local time): "14:35"; the day ("30 Nov") at midnight
    and when ticks are a day or more apart."""
    moment = time.localtime(seconds)
    if spacing >= _DAY_S or (moment.tm_hour, moment.tm_min) == (0, 0):
        return time.strftime("%d %b", moment)
    return time.strftime("%H:%M", moment)


def format_tick(value: float, spacing: float) -> str:
    """A number axis tick with as many decimals as the tick spacing needs: "67,500", "0.25"."""
    decimals = max(0, -Decimal(repr(spacing)).normalize().adjusted()) if spacing > 0 else 0
    return format_decimal(Decimal(repr(value)), decimals)


def format_tick_compact(value: float, spacing: float) -> str:
    """An amount axis tick: compact from 10,000 ("300K", "1.2M", as `format_compact`), else
    as `format_tick`."""
    if abs(value) < 10_000:
        return format_tick(value, spacing)
    text = format_compact(Decimal(repr(value)))
    return text.replace(".0", "") if text[-3:-1] == ".0" else text


def format_datetime_ms(timestamp_ms: int) -> str:
    """Epoch milliseconds as local month-day and time: "11-30 18:53:05" (blotters span days)."""
    return time.strftime("%m-%d %H:%M:%S", time.localtime(timestamp_ms // 1000))


def format_iso_ms(timestamp_ms: int) -> str:
    """Epoch milliseconds as exact UTC ISO 8601, "2026-11-30T18:53:05.123Z" (CSV exports)."""
    seconds, millis = divmod(timestamp_ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def format_age(age_ms: int) -> str:
    """A duration in its two largest units: "42s", "3m 07s", "2h 05m", "3d 04h"."""
    seconds = max(0, age_ms) // 1000
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {seconds:02d}s"
    return f"{seconds}s"


def format_exact(value: Decimal) -> str:
    """A Decimal as exact positional text, every digit kept ("0.00000000", never "0E-8")."""
    return f"{value:f}"
