"""With no console (a windowed Windows build): the log and the report go to files."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal.app.logging_setup import CRASH_FILE, LOG_FILE, configure_logging, log_dir
from terminal.app.report import RunReport


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, its handlers and level put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_without_stderr_the_log_goes_to_the_file_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, root_logger: logging.Logger
) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    configure_logging("INFO", tmp_path / "logs")
    assert [type(h).__name__ for h in root_logger.handlers] == ["RotatingFileHandler"]
    logging.getLogger("terminal.test").info("hello from a windowed build")
    for handler in root_logger.handlers:
        handler.flush()
    assert "hello from a windowed build" in (tmp_path / "logs" / LOG_FILE).read_text()


def test_the_report_can_be_written_to_a_file(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "report.json"
    RunReport().emit(path)
    report = json.loads(path.read_text())
    assert {"startup_ms", "messages", "frames", "loop_lag_ms"} <= set(report)


def test_the_log_folder_is_per_user_and_named_for_the_app() -> None:
    assert log_dir().parts[-2:] == ("paradex-terminal", "logs")
    assert log_dir().is_absolute()


def test_a_crash_leaves_every_threads_stack_in_the_crash_log(tmp_path: Path) -> None:
    """A fatal signal inside a C library (Qt) is written down where a windowed build's
    user can find it: the log folder's crash.log."""
    logs = tmp_path / "logs"
    crash = (
        "import faulthandler, pathlib\n"
        "from terminal.app.logging_setup import enable_crash_log\n"
        f"enable_crash_log(pathlib.Path({str(logs)!r}))\n"
        "faulthandler._sigsegv()\n"
    )
    result = subprocess.run([sys.executable, "-c", crash], capture_output=True, timeout=60)
    assert result.returncode != 0
    text = (logs / CRASH_FILE).read_text()
    assert "Segmentation fault" in text and "Current thread" in text, text
