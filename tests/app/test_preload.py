"""Preloading imports modules off the UI thread and reports failures."""

from __future__ import annotations

import sys

import pytest

from terminal.app.preload import PANEL_MODULES, VENUE_MODULES, preload


async def test_modules_are_imported() -> None:
    sys.modules.pop("wave", None)
    await preload(["wave"])
    assert "wave" in sys.modules


async def test_a_failing_import_is_raised_to_the_caller() -> None:
    with pytest.raises(ModuleNotFoundError):
        await preload(["terminal.no_such_module"])


def test_the_venue_the_session_opens_is_preloaded() -> None:
    # open_connection imports the venue lazily: it must be on the worker's list.
    assert "terminal.venues.paradex.venue" in VENUE_MODULES
    assert "terminal.widgets.chart" in PANEL_MODULES
