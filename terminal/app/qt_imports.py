"""PySide6's per-import source scan, switched off.

Once PySide6 is loaded, every later import runs PySide6's `feature_imported` hook, which
reads the imported module's whole source file (`inspect.getsource`) to learn whether it
mentions "PySide6" — bookkeeping for the opt-in `from __feature__ import snake_case`
switch (PYSIDE-2029). The terminal imports ~900 modules after PySide6 (numpy, pyqtgraph,
httpx, its own) and uses no `__feature__` (tests/app/test_qt_imports.py holds it), so
the scan costs ≈ 200 ms of the ≈ 950 ms of start-up imports and decides nothing. A frozen
build has no source files to read; this matters for installed runs.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def _uses_no_feature(module: ModuleType) -> bool:
    """Every module: "ignore in feature switching" (no module selects a feature)."""
    return False


def skip_feature_scan() -> None:
    """Load PySide6 and make its import hook stop reading each new module's source."""
    import PySide6.QtCore  # noqa: F401  (installs the hook this patches)

    try:
        feature = importlib.import_module("PySide6.support.feature")  # no type stubs
    except ImportError:  # a PySide6 without the feature machinery: nothing to skip
        return
    if hasattr(feature, "_mod_uses_pyside"):
        setattr(feature, "_mod_uses_pyside", _uses_no_feature)  # noqa: B010
