"""Candle aggregation and ChartViewModel: history requests, live bars, signals."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from terminal.domain.marketdata import Candle
from terminal.viewmodels.candles import (
    TIMEFRAMES,
    aggregate_candles,
    source_resolution,
)
from terminal.viewmodels.chart import ChartViewModel

from .conftest import make_instrument, make_trade

HOUR = 3_600_000
DAY = 24 * HOUR
T0 = 1_763_683_200_000  # 2025-11-21 00:00 UTC, a day boundary


def c(start: int, o: str, h: str, low: str, close: str, v: str) -> Candle:
    return Candle(start, Decimal(o), Decimal(h), Decimal(low), Decimal(close), Decimal(v))


def test_every_timeframe_maps_to_a_served_resolution() -> None:
    assert {tf: source_resolution(m) for tf, m in TIMEFRAMES.items()} == {
        "1m": 1,
        "5m": 5,
        "15m": 15,
        "1h": 60,
        "4h": 60,
        "1d": 60,
    }


def test_aggregation_into_4h_bars_is_exact() -> None:
    hourly = [
        c(T0 + 0 * HOUR, "10", "12", "9", "11", "1.5"),
        c(T0 + 1 * HOUR, "11", "15", "10.5", "14", "2.25"),
        c(T0 + 3 * HOUR, "14", "14.1", "8", "9", "1"),
        c(T0 + 4 * HOUR, "9", "9.5", "8.5", "9.25", "0.5"),
    ]
    bars = aggregate_candles(hourly, 4 * HOUR)
    assert bars == [
        c(T0, "10", "15", "8", "9", "4.75"),
        c(T0 + 4 * HOUR, "9", "9.5", "8.5", "9.25", "0.5"),
    ]


def test_daily_bars_align_to_utc_midnight_and_skip_empty_days() -> None:
    hourly = [
        c(T0 - HOUR, "1", "1", "1", "1", "1"),
        c(T0 + 5 * HOUR, "2", "3", "2", "3", "1"),
        c(T0 + 2 * DAY, "4", "4", "4", "4", "1"),
    ]
    assert [b.start_ms for b in aggregate_candles(hourly, DAY)] == [T0 - DAY, T0, T0 + 2 * DAY]


def _vm(**kw: object) -> ChartViewModel:
    vm = ChartViewModel(clock_ms=lambda: T0 + 30 * 60_000 + 5, **kw)  # type: ignore[arg-type]
    vm.set_instrument(make_instrument(tick="0.1"))
    return vm


def test_selecting_a_market_asks_for_history_at_the_served_resolution() -> None:
    vm = _vm(bars=10)
    asked: list[tuple[str, int, int, int]] = []
    vm.history_needed.connect(lambda *a: asked.append(a))
    vm.set_market("BTC-USD-PERP")
    vm.set_timeframe("4h")
    now = T0 + 30 * 60_000 + 5
    assert asked == [
        ("BTC-USD-PERP", 1, T0 + 30 * 60_000 - 9 * 60_000, now),
        ("BTC-USD-PERP", 60, T0 - 9 * 4 * HOUR, now),
    ]
    assert vm.loading
    with pytest.raises(ValueError):
        vm.set_timeframe("2m")


def test_history_for_4h_is_aggregated_and_stale_answers_are_ignored() -> None:
    vm = _vm()
    vm.set_market("BTC-USD-PERP")
    vm.set_timeframe("4h")
    resets: list[int] = []
    vm.reset.connect(lambda: resets.append(1))
    hourly = [c(T0 + i * HOUR, "10", "11", "9", "10", "1") for i in range(8)]
    vm.set_history("BTC-USD-PERP", "1h", hourly)  # an answer to an older request
    assert vm.count == 0 and resets == []
    vm.set_history("BTC-USD-PERP", "4h", hourly)
    assert resets == [1] and vm.count == 2 and not vm.loading
    assert vm.candles[0].volume == Decimal(4)
    np.testing.assert_array_equal(vm.arrays.column("time"), [T0 / 1000, (T0 + 4 * HOUR) / 1000])
    np.testing.assert_array_equal(vm.arrays.column("high"), [11.0, 11.0])


def test_trades_update_the_last_bar_then_open_a_new_one() -> None:
    timer = QTimer()
    vm = _vm(timer=timer)
    vm.set_market("BTC-USD-PERP")
    vm.set_history("BTC-USD-PERP", "1m", [c(T0, "100", "101", "99", "100.5", "2")])
    seen: list[str] = []
    vm.last_changed.connect(lambda: seen.append("last"))
    vm.appended.connect(lambda: seen.append("appended"))
    vm.on_trade(make_trade("102", "0.5", at_ms=T0 + 10_000))  # runs at once
    vm.on_trade(make_trade("98.5", "0.25", at_ms=T0 + 20_000))
    vm.on_trade(make_trade("1", market="ETH-USD-PERP", at_ms=T0 + 30_000))
    assert seen == ["last"]
    timer.timeout.emit()
    assert seen == ["last", "last"]
    assert vm.candles[-1] == c(T0, "100", "102", "98.5", "98.5", "2.75")
    assert vm.arrays.column("low")[-1] == 98.5
    vm.on_trade(make_trade("99", "1", at_ms=T0 + 60_000))
    vm.on_trade(make_trade("99.5", "1", at_ms=T0 + 61_000))
    timer.timeout.emit()
    assert seen[-1] == "appended" and vm.count == 2
    assert vm.candles[-1] == c(T0 + 60_000, "99", "99.5", "99", "99.5", "2")
    vm.on_trade(make_trade("50", at_ms=T0 + 5_000))  # late trade for a closed bar
    assert vm.candles[0].low == Decimal("98.5")


def test_live_bars_newer_than_history_survive_the_history_load() -> None:
    vm = _vm()
    vm.set_market("BTC-USD-PERP")
    vm.on_trade(make_trade("105", at_ms=T0 + 3 * 60_000))
    vm.set_history(
        "BTC-USD-PERP", "1m", [c(T0 + i * 60_000, "1", "1", "1", "1", "1") for i in range(3)]
    )
    assert vm.count == 4 and vm.candles[-1].close == Decimal(105)


def test_arrays_grow_past_their_capacity() -> None:
    vm = _vm()
    vm.set_market("BTC-USD-PERP")
    vm.set_history(
        "BTC-USD-PERP", "1m", [c(T0 + i * 60_000, "1", "2", "0.5", "1.5", "1") for i in range(3000)]
    )
    for i in range(3000, 3100):
        vm.on_trade(make_trade("3", at_ms=T0 + i * 60_000))
    assert vm.arrays.count == vm.count == 3100
    assert vm.arrays.column("close")[-1] == 3.0 and vm.arrays.column("close")[2999] == 1.5


def test_index_and_readout_under_the_crosshair() -> None:
    vm = _vm()
    vm.set_market("BTC-USD-PERP")
    vm.set_history("BTC-USD-PERP", "1m", [c(T0, "67000", "67100.5", "66900", "67050", "1234567")])
    assert vm.index_at(T0 / 1000 + 30) == 0
    assert vm.index_at(T0 / 1000 + 61) is None and vm.index_at(T0 / 1000 - 1) is None
    text = vm.readout(0).replace("\u00a0", " ")  # fields hold together with no-break spaces
    assert "O 67,000.0" in text and "H 67,100.5" in text and "V 1.2M" in text
    assert "+0.07%" in text


def test_stale_state_follows_set_stale_and_clears_with_a_new_market(qtbot) -> None:
    vm = ChartViewModel()
    vm.set_market("BTC-USD-PERP")
    seen: list[tuple[bool, str]] = []
    vm.stale_changed.connect(lambda stale, reason: seen.append((stale, reason)))
    assert not vm.stale
    vm.set_stale("disconnected: eof")
    vm.set_stale("disconnected: eof")  # unchanged: no second signal
    assert (vm.stale, vm.stale_reason) == (True, "disconnected: eof")
    vm.set_timeframe("5m")  # the same feed: still stale
    assert vm.stale
    vm.set_stale(None)
    assert (vm.stale, vm.stale_reason) == (False, "")
    vm.set_stale("feed silent")
    vm.set_market("ETH-USD-PERP")  # another market's feed: not known stale
    assert not vm.stale
    assert seen == [
        (True, "disconnected: eof"),
        (False, ""),
        (True, "feed silent"),
        (False, ""),
    ]
