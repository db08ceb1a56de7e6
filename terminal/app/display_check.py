"""Can Qt open a window here? Checked before QApplication, which would abort with a core dump.

On Linux, Qt's platform plugin fails hard when there is no display server, when a system
library the xcb plugin links is missing (libxcb-cursor above all: Qt ≥ 6.5 needs it and
minimal installs lack it), or when DISPLAY names an X server that does not answer. Each is
told to the user as one line naming the fix instead.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    ("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    ("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    ("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    ("libGL.so.1", "libgl1", "mesa-libGL"),
)
"""Libraries Qt's xcb plugin links that minimal installs lack: (soname, Debian/Ubuntu
package, Fedora package). libxcb-cursor is the usual one (Qt needs it since 6.5)."""

NO_DISPLAY = (
    "no display to open a window on (DISPLAY / WAYLAND_DISPLAY unset); for a headless run set "
    "QT_QPA_PLATFORM=offscreen, e.g. QT_QPA_PLATFORM=offscreen paradex-terminal "
    "--exit-after 10 --report"
)


def missing_libraries_message(missing: list[tuple[str, str, str]]) -> str:
    """One line naming the missing libraries and the packages that provide them."""
    names = ", ".join(soname for soname, _, _ in missing)
    debian = " ".join(deb for _, deb, _ in missing)
    fedora = " ".join(rpm for _, _, rpm in missing)
    return (
        f"Qt's xcb platform plugin needs {names}, not installed: sudo apt install {debian} "
        f"(Debian/Ubuntu) or sudo dnf install {fedora} (Fedora)"
    )


def _can_load(name: str) -> bool:
    """Whether the dynamic loader finds `name` (beside a frozen bundle's own libraries too)."""
    candidates = [name]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        candidates.insert(0, str(Path(bundle) / name))
    for candidate in candidates:
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        return True
    return False


def _x_server_answers(display: str) -> bool:
    """Whether an X server accepts a connection on `display` (through libxcb, as Qt would)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # not ours to judge: Qt reports it
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # Never NULL: a failed connection is an object whose error is set.
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)


def no_x_server_message(display: str) -> str:
    """One line for a DISPLAY that nothing answers on."""
    return (
        f"cannot connect to the X display {display!r} (is the X server running, and is "
        "DISPLAY right?); for a headless run set QT_QPA_PLATFORM=offscreen"
    )


def _first_platform(env: Mapping[str, str]) -> str | None:
    """The platform plugin Qt tries first, or None when Qt picks one itself."""
    # QT_QPA_PLATFORM may be a fallback list ("wayland;xcb") with plugin options after ':'.
    value = env.get("QT_QPA_PLATFORM", "").strip()
    return value.split(";")[0].split(":")[0].strip() or None


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    can_load: Callable[[str], bool] | None = None,
    x_answers: Callable[[str], bool] | None = None,
) -> str | None:
    """Why Qt could not start a GUI here (one line naming the fix), or None if it can."""
    if not platform.startswith("linux"):
        return None
    env = os.environ if env is None else env
    chosen = _first_platform(env)
    if chosen is None:
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            return NO_DISPLAY
        # Qt prefers its wayland plugin on a Wayland session and takes xcb elsewhere; when
        # unsure, assume wayland: a false alarm would stop a run that could have worked.
        wayland = env.get("XDG_SESSION_TYPE") == "wayland" or not env.get("DISPLAY")
        chosen = "wayland" if env.get("WAYLAND_DISPLAY") and wayland else "xcb"
    if chosen != "xcb":
        return None
    if not env.get("DISPLAY"):
        return NO_DISPLAY
    load = can_load or _can_load
    missing = [library for library in XCB_LIBRARIES if not load(library[0])]
    if missing:
        return missing_libraries_message(missing)
    if not (x_answers or _x_server_answers)(env["DISPLAY"]):
        return no_x_server_message(env["DISPLAY"])
    return None
