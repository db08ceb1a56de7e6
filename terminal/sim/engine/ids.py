"""Paradex-style identifiers: 28-digit decimal strings, unique and increasing."""

from __future__ import annotations


class IdFactory:
    """Makes 28-digit ids: 13 digits of ms time then a 15-digit counter."""

    def __init__(self) -> None:
        self._counter = 0

    def next(self, now_ms: int) -> str:
        """A fresh id stamped with `now_ms`."""
        self._counter += 1
        return f"{now_ms:013d}{self._counter:015d}"
