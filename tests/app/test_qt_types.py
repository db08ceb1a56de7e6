"""Qt's types created ahead of pyqtgraph, a slice at a time."""

from __future__ import annotations

import asyncio

import pytest

from terminal.app import qt_types


def test_every_qt_name_is_looked_up_with_pauses_between_slices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6 import QtCore, QtGui, QtWidgets

    looked_up: set[str] = set()
    real_getattr = getattr

    def recording_getattr(module: object, name: str) -> object:
        looked_up.add(f"{real_getattr(module, '__name__')}.{name}")
        return real_getattr(module, name)

    monkeypatch.setattr(qt_types, "getattr", recording_getattr, raising=False)
    monkeypatch.setattr(qt_types, "SLICE_S", 0.0)  # every lookup ends its slice
    pauses = 0

    async def pause() -> None:
        nonlocal pauses
        pauses += 1
        await asyncio.sleep(0)

    slices = asyncio.run(qt_types.create_qt_types(pause))
    expected = {f"{m.__name__}.{n}" for m in (QtCore, QtGui, QtWidgets) for n in dir(m)}
    assert looked_up == expected
    assert slices == pauses + 1
    assert pauses >= len(expected) - 1  # the loop was given back after each lookup
