"""Layer rules import-linter cannot express (it cannot name an external subpackage)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "terminal"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_viewmodels_do_not_import_qtwidgets() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in _imported_modules(path) if m.startswith("PySide6.QtWidgets")
        )
        for path in (PACKAGE / "viewmodels").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_layer_scan_sees_the_viewmodels() -> None:
    assert any((PACKAGE / "viewmodels").rglob("*.py"))
