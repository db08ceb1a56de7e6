"""A text's shape for measuring: its digits all drawn as 0.

UI fonts draw every digit at one width (tabular figures), so two texts of one shape are
equally wide: a width measured once per shape serves every price of that shape, and a
change of price that keeps the shape cannot need a wider column.
"""

from __future__ import annotations

_AS_ZERO = str.maketrans("123456789", "000000000")


def text_shape(text: str) -> str:
    """`text` with every digit replaced by 0."""
    return text.translate(_AS_ZERO)
