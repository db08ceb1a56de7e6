"""Smoke-test a built binary: `--version`, then a headless demo run whose report shows a live book.

`python packaging/check_binary.py [BINARY] [--seconds N]` (default: the `make package`
output). Exits 0 when the binary names its version and its embedded exchange fed the ladder;
otherwise prints one line saying what was wrong and exits 1. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BINARY = ROOT / "dist" / "paradex-terminal" / "paradex-terminal"


class CheckFailed(Exception):
    """The binary did not do what it should; the message says what."""


def _run(cmd: list[str], timeout: float, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"{' '.join(cmd)} did not exit within {timeout:.0f} s") from None
    except OSError as exc:
        raise CheckFailed(f"cannot run {cmd[0]}: {exc}") from None


def _tail(text: str) -> str:
    return " | ".join(text.strip().splitlines()[-3:])


def book_messages(report: dict[str, Any]) -> int:
    """Order-book messages the app received in a run."""
    return sum(n for channel, n in report["messages"].items() if channel.startswith("order_book."))


def project_version() -> str:
    """The version in pyproject.toml (what the build stamps into the binary)."""
    version: str = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    return version


def check_version(binary: Path, env: dict[str, str]) -> str:
    """`BINARY --version` names the project's version and the build stamp."""
    version = project_version()
    result = _run([str(binary), "--version"], 60, env)
    line = result.stdout.strip()
    # The build stamp: "paradex-terminal 0.1.0 (build <commit>, <date>)".
    if result.returncode != 0 or not line.startswith(f"paradex-terminal {version} (build "):
        raise CheckFailed(
            f"--version: expected 'paradex-terminal {version} (build ...)', got {line!r} "
            f"(exit {result.returncode}; stderr: {_tail(result.stderr)})"
        )
    return line


def check_demo_run(binary: Path, env: dict[str, str], seconds: float) -> dict[str, Any]:
    """A headless demo run's report shows book messages and ladder repaints."""
    cmd = [str(binary), "--profile", "demo", "--exit-after", f"{seconds:g}", "--report"]
    result = _run(cmd, seconds + 120, env)
    if result.returncode != 0:
        raise CheckFailed(f"demo run exited {result.returncode}: {_tail(result.stderr)}")
    try:
        report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise CheckFailed(f"demo run printed no JSON report: {_tail(result.stdout)}") from None
    book, ladder = book_messages(report), report["frames"].get("ladder", 0)
    if book == 0 or ladder == 0:
        raise CheckFailed(
            f"no live book after {seconds:g} s: {book} book messages, {ladder} ladder frames "
            f"(messages {report['messages']}, frames {report['frames']})"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    """Run both checks; print what passed, or one line on what failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--seconds", type=float, default=10.0, help="demo run length")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as config_home:
        # Headless, with fresh settings (a saved layout could hide the ladder).
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": config_home}
        try:
            version = check_version(args.binary, env)
            report = check_demo_run(args.binary, env, args.seconds)
        except CheckFailed as exc:
            print(f"package check FAILED: {exc}", file=sys.stderr)
            return 1
    print(
        f"package check passed: {version}; {book_messages(report)} book messages, "
        f"{report['frames']['ladder']} ladder frames, first paint {report['startup_ms']} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
