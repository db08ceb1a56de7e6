"""PySide6's per-import source scan is off, and nothing here relies on it."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import terminal
from terminal.app.qt_imports import skip_feature_scan


def test_no_module_of_the_terminal_selects_a_pyside_feature() -> None:
    """The scan only serves `from __feature__ import …`; the terminal must not use it."""
    selects = re.compile(r"^\s*(from __feature__ import|import __feature__)", re.MULTILINE)
    root = Path(terminal.__file__).parent
    users = [p for p in root.rglob("*.py") if selects.search(p.read_text(encoding="utf-8"))]
    assert users == []


def test_an_import_after_the_switch_does_not_read_the_modules_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "freshly_imported.py").write_text("import PySide6.QtCore\nVALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    read: list[str] = []
    real = inspect.getsource

    def recording(obj: ModuleType) -> str:
        read.append(getattr(obj, "__name__", "?"))
        return real(obj)

    monkeypatch.setattr(inspect, "getsource", recording)
    skip_feature_scan()
    try:
        # An import statement (builtins.__import__, which PySide6 hooks), not importlib.
        module = __import__("freshly_imported")
        assert module.VALUE == 1
    finally:
        sys.modules.pop("freshly_imported", None)
    assert "freshly_imported" not in read
