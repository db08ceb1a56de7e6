"""Recurring failures on a hot path: counted every time, logged sparingly."""

from __future__ import annotations

import logging
from collections import Counter


class FailureLog:
    """Counts failures by kind; logs a kind's 1st, 2nd, 4th, 8th... occurrence.

    A failure that repeats on every message (a bug in a listener, a venue sending garbage)
    stays visible in the log and in `counts` without flooding either the log or the loop.
    """

    def __init__(self, logger: logging.Logger) -> None:
        self._log = logger
        self.counts: Counter[str] = Counter()

    def record(self, kind: str, what: str, *, traceback: bool = True) -> None:
        """Count one failure of `kind`; call it from an `except` block (the traceback is
        logged with the message `what` when this occurrence is logged)."""
        self.counts[kind] += 1
        count = self.counts[kind]
        if count & (count - 1) == 0:
            self._log.error("%s (%s: %d so far)", what, kind, count, exc_info=traceback)

    @property
    def total(self) -> int:
        """Failures of every kind so far."""
        return self.counts.total()
