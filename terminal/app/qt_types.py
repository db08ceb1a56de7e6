"""PySide6's Qt types created a slice at a time, before pyqtgraph's import asks for all of them.

PySide6 makes a Qt class (and each of its enums, a Python `Enum` built on the spot) the
first time the class is looked up. pyqtgraph's import looks up every name of QtCore, QtGui
and QtWidgets at once (`pyqtgraph.Qt` copies them into its own namespace): ≈ 150 ms of
type creation in one loop turn, just after the first live book, on top of pyqtgraph's own
≈ 170 ms. Looked up beforehand in short slices, with the loop running between them, the
types exist when the import comes, and the one stall is half as long.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from types import ModuleType

SLICE_S = 0.004
"""Lookups per loop turn stop once this long has passed (the dearest single type costs
≈ 5 ms here)."""


def _names(modules: tuple[ModuleType, ...]) -> Iterator[tuple[ModuleType, str]]:
    for module in modules:
        for name in dir(module):
            yield module, name


async def create_qt_types(pause: Callable[[], Awaitable[None]]) -> int:
    """Look up every public name of QtCore, QtGui and QtWidgets, `pause()` between slices of
    `SLICE_S`; the number of slices it took."""
    from PySide6 import QtCore, QtGui, QtWidgets

    names = _names((QtCore, QtGui, QtWidgets))
    slices = 0
    while True:
        slices += 1
        deadline = time.perf_counter() + SLICE_S
        for module, name in names:
            getattr(module, name)
            if time.perf_counter() > deadline:
                break
        else:
            return slices
        await pause()
