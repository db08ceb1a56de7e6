"""Throttle and MarketSelection."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from terminal.viewmodels.selection import MarketSelection
from terminal.viewmodels.throttle import Throttle


def test_first_call_runs_at_once_and_a_burst_collapses_to_the_latest() -> None:
    calls: list[tuple[object, ...]] = []
    timer = QTimer()
    throttle = Throttle(lambda *a: calls.append(a), 100, timer=timer)
    throttle(1)
    assert calls == [(1,)]
    throttle(2)
    throttle(3)
    assert calls == [(1,)] and throttle.pending
    timer.timeout.emit()
    assert calls == [(1,), (3,)] and not throttle.pending
    timer.timeout.emit()  # a window with nothing pending ends quietly
    assert calls == [(1,), (3,)]


def test_flush_and_cancel() -> None:
    calls: list[int] = []
    throttle = Throttle(lambda x: calls.append(x), 1000)
    throttle(1)
    throttle(2)
    throttle.flush()
    assert calls == [1, 2]
    throttle(3)
    throttle.cancel()
    throttle.flush()
    assert calls == [1, 2]
    throttle(4)  # the window was closed by cancel: runs at once
    assert calls == [1, 2, 4]


def test_the_window_ends_on_the_real_timer(qtbot) -> None:
    calls: list[int] = []
    throttle = Throttle(lambda x: calls.append(x), 5)
    throttle(1)
    throttle(2)
    qtbot.waitUntil(lambda: calls == [1, 2], timeout=1000)


def test_selection_signals_only_real_changes(qtbot) -> None:
    selection = MarketSelection()
    seen: list[str] = []
    selection.changed.connect(seen.append)
    selection.set_symbol("BTC-USD-PERP")
    selection.set_symbol("BTC-USD-PERP")
    selection.set_symbol("ETH-USD-PERP")
    assert seen == ["BTC-USD-PERP", "ETH-USD-PERP"] and selection.symbol == "ETH-USD-PERP"
