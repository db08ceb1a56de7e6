"""The one check every decimal field of a wire struct passes: a finite number, or absent.

`Decimal` (and so msgspec, which decodes Decimal fields with it) also reads "NaN", "sNaN"
and "Infinity", which are no price, size or rate; text fields read as decimals later must
read at all. Structs call `require_numbers` from `__post_init__`, where msgspec turns the
error into a `ValidationError`: a WebSocket payload is dropped and counted, a REST answer
raises `BadResponse`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def require_numbers(*values: Decimal | str | None) -> None:
    """Raise ValueError unless each value is a finite number or absent (None, "")."""
    for value in values:
        if isinstance(value, str):
            if not value:
                continue
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise ValueError(f"not a decimal number: {value!r}") from None
        elif value is None:
            continue
        else:
            number = value
        if not number.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
