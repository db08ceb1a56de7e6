"""The wall clock the account panels read (ages, notification times); tests inject their own."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]
"""Epoch milliseconds now."""


def wall_clock_ms() -> int:
    """The wall clock in epoch milliseconds."""
    return time.time_ns() // 1_000_000
