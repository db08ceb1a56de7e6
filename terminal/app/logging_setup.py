"""Logging to stderr (or, with no console, to a file), Qt's own messages included."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QStandardPaths, QtMsgType, qInstallMessageHandler

from terminal.app.settings import APPLICATION

LOG_FILE_NAME = f"{APPLICATION}.log"

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


def log_dir() -> Path:
    """The per-user folder for log files and a windowed build's report."""
    # The generic location: the app-specific one depends on QApplication's names, and this
    # is needed before QApplication exists (and for --help).
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / APPLICATION / "logs"


def configure_logging(level: str = "WARNING") -> None:
    """Send log records (ours and Qt's) at `level` and above to stderr, or to
    `log_dir()/LOG_FILE_NAME` when there is no stderr (a windowed Windows build)."""
    handler: logging.Handler
    if sys.stderr is None:
        log_dir().mkdir(parents=True, exist_ok=True)
        # One run per file ("w"): the log never grows without bound.
        handler = logging.FileHandler(log_dir() / LOG_FILE_NAME, mode="w", encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    qInstallMessageHandler(_qt_message)
