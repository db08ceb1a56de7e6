"""Logging to stderr and a rotating file, with Qt's own messages through the same handlers."""

from __future__ import annotations

import faulthandler
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QMessageLogContext, QStandardPaths, QtMsgType, qInstallMessageHandler

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

# Platform plugins without a window manager (offscreen, used headless and in tests) say
# this for every dock resize; it is about the plugin, not the app.
_PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)

_qt_log = logging.getLogger("qt")


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in _PLATFORM_NOISE:
        return
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


LOG_FILE = "terminal.log"
CRASH_FILE = "crash.log"
LOG_BYTES = 2_000_000
LOG_BACKUPS = 3


def log_dir() -> Path:
    """Where the log files go (e.g. ~/.local/share/paradex-terminal/logs on Linux)."""
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(data or Path.home()) / "paradex-terminal" / "logs"


def configure_logging(level: str = "WARNING", directory: Path | None = None) -> None:
    """Send log records (ours and Qt's) at `level` and above to stderr (if there is one: a
    windowed Windows build has none) and, given a `directory`, to a rotating file in it
    (Help ▸ Open log folder shows it to a user)."""
    handlers: list[logging.Handler] = []
    if sys.stderr is not None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
        )
        handlers.append(stream)
    if directory is not None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            file = RotatingFileHandler(
                directory / LOG_FILE, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
            )
        except OSError as exc:
            # A read-only home must not stop the terminal: stderr still has everything.
            print(f"not logging to {directory}: {exc}", file=sys.stderr)
        else:
            file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            handlers.append(file)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    qInstallMessageHandler(_qt_message)


def enable_crash_log(directory: Path) -> None:
    """On a fatal signal (a crash inside Qt or another C library), append every thread's
    Python stack to `crash.log` in `directory` — a windowed build has no stderr to print it
    on — or to stderr when the file cannot be opened."""
    sink: TextIO | None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Kept open for the life of the process: faulthandler writes to its descriptor.
        sink = open(directory / CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115
    except OSError:
        sink = sys.stderr
    if sink is not None:
        faulthandler.enable(sink, all_threads=True)
