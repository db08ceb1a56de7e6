"""The core runs without Qt: domain, venues, services and the simulator import with PySide6,
qasync and pyqtgraph made unimportable (STYLE.md: the core tests need no GUI toolkit)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "terminal"
CORE = ("domain", "venues", "services", "sim")


def _core_modules() -> list[str]:
    modules = []
    for layer in CORE:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            if parts[-1] == "__main__":
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules.append(".".join(parts))
    return modules


def test_core_imports_without_qt() -> None:
    modules = _core_modules()
    assert len(modules) > 20
    script = textwrap.dedent(
        f"""
        import importlib, sys
        for blocked in ("PySide6", "qasync", "pyqtgraph"):
            sys.modules[blocked] = None  # any import of it now raises ImportError
        for name in {modules!r}:
            importlib.import_module(name)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
