"""Preloading imports modules off the UI thread and reports failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from terminal.app.preload import (
    CHART_LIBRARIES,
    SWITCH_INTERVAL_S,
    VENUE_MODULES,
    preload,
)


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


def _imported_by(modules: tuple[str, ...], prelude: str = "") -> set[str]:
    """The modules a fresh interpreter holds after running `prelude` and importing `modules`."""
    code = (
        "import sys\n"
        f"{prelude}\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print(' '.join(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("modules", [VENUE_MODULES, CHART_LIBRARIES])
def test_nothing_preloaded_off_the_ui_thread_touches_qt(modules: tuple[str, ...]) -> None:
    """shiboken creates Qt types lazily and not thread-safely: a worker importing a module
    that uses PySide6 crashed the app (see preload's docstring)."""
    assert not {m for m in _imported_by(modules) if m.startswith(("PySide6", "shiboken6"))}


def test_the_log_in_does_not_load_the_command_line_tools_of_httpx() -> None:
    # rich, click and pygments come with the dev extras: ≈ 90 ms before the log-in starts.
    prelude = (
        "from terminal.app.preload import block_unused_imports\n"
        "block_unused_imports()\n"
        "import httpx\n"
        "assert httpx.Client(base_url='http://127.0.0.1:9').base_url.port == 9\n"
    )
    imported = _imported_by(VENUE_MODULES, prelude)
    assert "httpx" in imported
    assert not imported & {"rich", "click", "pygments"}


def test_the_first_screen_loads_without_numpy_or_pyqtgraph() -> None:
    """The desk (ladder, tape, markets) must not wait for the chart's libraries."""
    assert not _imported_by(("terminal.app.desk",)) & {"numpy", "pyqtgraph"}


async def test_the_switch_interval_is_short_while_a_preload_runs_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = sys.getswitchinterval()
    (tmp_path / "switch_probe.py").write_text("import sys\nSEEN = sys.getswitchinterval()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        await preload(["switch_probe"])
        assert sys.modules["switch_probe"].SEEN == SWITCH_INTERVAL_S != default
    finally:
        sys.modules.pop("switch_probe", None)
    assert sys.getswitchinterval() == default
