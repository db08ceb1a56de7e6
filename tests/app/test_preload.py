"""Preloading imports modules and runs warm-ups off the UI thread, and reports failures."""

from __future__ import annotations

import sys

import pytest

from terminal.app.preload import PANEL_MODULES, VENUE_MODULES, VENUE_WARM_UPS, preload


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
    assert "terminal.widgets.chart" in PANEL_MODULES
