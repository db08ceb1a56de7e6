"""The command line: --version, --help's text, one-line usage errors, --reset-layout."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from terminal.app import cli
from terminal.app.cli import app_version, build_parser, parse_args
from terminal.app.settings import AppSettings
from terminal.app.window import MainWindow


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--version"])
    assert exit_info.value.code == 0
    expected = importlib.metadata.version("paradex-terminal")
    assert capsys.readouterr().out.strip() == f"paradex-terminal {expected}"


def test_a_frozen_binary_reports_its_build_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = types.ModuleType("terminal._build_info")
    stamp.VERSION, stamp.COMMIT, stamp.BUILT = "9.8.7", "abc1234", "2026-01-02"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "terminal._build_info", stamp)
    # From source a (stale) stamp is ignored: the installed package's version counts.
    assert app_version() == importlib.metadata.version("paradex-terminal")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert app_version() == "9.8.7 (build abc1234, 2026-01-02)"


def test_with_neither_stamp_nor_metadata_the_version_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_metadata(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setitem(sys.modules, "terminal._build_info", None)  # not built: ImportError
    monkeypatch.setattr(cli.importlib.metadata, "version", no_metadata)
    assert app_version() == "unknown"


def test_version_imports_no_qt() -> None:
    probe = (
        "import sys\n"
        "from terminal.app.cli import parse_args\n"
        "try:\n"
        "    parse_args(['--version'])\n"
        "except SystemExit:\n"
        "    print(sorted(name for name in sys.modules if name.startswith('PySide6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr


def test_help_shows_defaults_examples_and_where_things_live() -> None:
    text = " ".join(build_parser().format_help().split())  # argparse wraps the help lines
    for needle in (
        "default: calm",
        "default: WARNING",
        "default: 200",
        "examples:",
        "QT_QPA_PLATFORM=offscreen paradex-terminal --exit-after 10 --report",
        "--reset-layout",
        "OS keyring",
        QSettings("ParadexTerminal", "paradex-terminal").fileName(),
        "terminal.log",
        "report.json",
        "ALL its markets",
    ):
        assert needle in text, needle


def test_options_and_their_conversions() -> None:
    opts = parse_args(["--reset-layout", "--log-level", "info", "--seed", "7"])
    assert (opts.reset_layout, opts.log_level, opts.seed) == (True, "INFO", 7)
    assert parse_args([]).reset_layout is False


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--rate", "abc"], "argument --rate: expected a number, got 'abc'"),
        (["--exit-after", "-1"], "argument --exit-after: expected a number >= 0, got '-1'"),
        (["--exit-after", "nan"], "expected a number >= 0, got 'nan'"),
        (["--seed", "1.5"], "argument --seed: expected a whole number, got '1.5'"),
        (["--theme", "blue"], "argument --theme: invalid choice: 'blue'"),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_a_bad_value_is_one_line_and_status_2(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("paradex-terminal: "), err
    assert complaint in err and err.rstrip().endswith("(see --help)"), err


def test_the_executable_reports_a_bad_value_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "terminal.app.main", "--rate", "fast"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "paradex-terminal: argument --rate: expected a number, got 'fast' (see --help)"
    ]


def _saved_settings(config_home: Path) -> AppSettings:
    """The settings file the app itself uses under XDG_CONFIG_HOME=config_home (Linux)."""
    path = config_home / "ParadexTerminal" / "paradex-terminal.conf"
    return AppSettings(QSettings(str(path), QSettings.Format.IniFormat))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CONFIG_HOME is Linux's")
@pytest.mark.parametrize("reset", [True, False])
def test_reset_layout_discards_the_saved_layout(qapp, tmp_path: Path, reset: bool) -> None:
    window = MainWindow(_saved_settings(tmp_path))
    window.docks["tape"].hide()
    window.save_layout()
    window.deleteLater()

    flags = ["--reset-layout"] if reset else []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "terminal.app.main", "--exit-after", "0", *flags],
        capture_output=True,
        text=True,
        timeout=100,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    # The app saved its layout again on exit: the default one (tape shown) after a reset.
    restored = MainWindow(_saved_settings(tmp_path))
    assert restored.docks["tape"].isHidden() is not reset
    restored.deleteLater()
