"""Where bundled resources live: the source tree in development, `sys._MEIPASS` when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def is_frozen() -> bool:
    """Whether we run from a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def resource_root() -> Path:
    """The `resources/` directory (styles, icons, layouts)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def style_path(theme: str) -> Path:
    """The QSS file of a theme ("dark" or "light")."""
    return resource_root() / "styles" / f"{theme}.qss"


def icon_path() -> Path:
    """The application icon."""
    return resource_root() / "icons" / "app.svg"
