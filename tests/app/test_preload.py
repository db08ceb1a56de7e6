"""Preloading imports modules and runs warm-ups off the UI thread, and reports failures."""

from __future__ import annotations

import sys
import types

import pytest

from terminal.app.preload import (
    CHART_MODULES,
    DESK_MODULES,
    SWITCH_INTERVAL_S,
    VENUE_MODULES,
    VENUE_WARM_UPS,
    preload,
)


async def test_modules_are_imported_and_warm_ups_run() -> None:
    sys.modules.pop("wave", None)
    await preload(["wave"], [("terminal.venues.paradex.crypto.signing", "warm_up")])
    assert "wave" in sys.modules
    from terminal.venues.paradex.crypto.stark_curve import generator_table

    assert generator_table.cache_info().currsize == 1


async def test_a_failing_warm_up_is_raised_to_the_caller() -> None:
    with pytest.raises(TypeError):
        await preload([], [("json", "loads")])  # loads() without its argument


def test_the_venue_the_session_opens_is_preloaded() -> None:
    # open_connection imports the venue lazily: it must be on the worker's list.
    assert "terminal.venues.paradex.venue" in VENUE_MODULES
    assert ("terminal.venues.paradex.crypto.signing", "warm_up") in VENUE_WARM_UPS
    assert "terminal.widgets.chart" in CHART_MODULES


def test_the_first_screen_loads_without_numpy_or_pyqtgraph() -> None:
    """The desk (ladder, tape, markets) must not wait for the chart's libraries."""
    import subprocess

    code = (
        "import sys\n"
        f"for name in {DESK_MODULES!r}:\n"
        "    __import__(name)\n"
        "print(sorted(m for m in ('numpy', 'pyqtgraph') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


async def test_the_switch_interval_is_short_while_a_preload_runs_and_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default = sys.getswitchinterval()
    seen: list[float] = []
    probe = types.ModuleType("switch_probe")
    probe.record = lambda: seen.append(sys.getswitchinterval())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "switch_probe", probe)
    await preload([], [("switch_probe", "record")])
    assert seen == [SWITCH_INTERVAL_S] != [default]
    assert sys.getswitchinterval() == default
