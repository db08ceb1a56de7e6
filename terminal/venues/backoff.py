"""Exponential backoff with full jitter, bounded: the one retry pacing of the client."""

from __future__ import annotations

import random


class Backoff:
    """Successive waits: uniform in [0, min(maximum, initial · 2^attempt)] ("full jitter").

    Full jitter keeps many clients that lost the venue at the same instant from all
    coming back at the same instant.
    """

    def __init__(self, initial: float, maximum: float, *, rng: random.Random | None = None) -> None:
        self._initial = initial
        self._maximum = maximum
        self._rng = rng or random.Random()
        self.attempt = 0

    def next(self) -> float:
        """The wait before the next attempt, in seconds; grows with each call."""
        ceiling = min(self._maximum, self._initial * 2.0**self.attempt)
        self.attempt += 1
        # Never zero: a zero wait would turn a dead venue into a busy loop.
        return max(ceiling * self._rng.random(), min(self._initial, ceiling) / 10)

    def reset(self) -> None:
        """Start again from the initial wait (after a success)."""
        self.attempt = 0
