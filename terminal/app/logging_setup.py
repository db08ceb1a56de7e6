"""Logging to stderr, with Qt's own messages routed through the same handlers."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

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


def configure_logging(level: str = "WARNING") -> None:
    """Send log records (ours and Qt's) to stderr at `level` and above."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    qInstallMessageHandler(_qt_message)
