"""No display, or no libxcb-cursor: one line naming the fix and status 2, never a core dump."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from terminal.app import display_check
from terminal.app.display_check import NO_DISPLAY, display_problem
from terminal.app.main import main

NO_XCB_CURSOR = (
    "Qt's xcb platform plugin needs libxcb-cursor.so.0, not installed: sudo apt install "
    "libxcb-cursor0 (Debian/Ubuntu) or sudo dnf install xcb-util-cursor (Fedora)"
)


def _answers(display: str) -> bool:
    """An X server answers on every display."""
    return True


def _loads(found: bool):
    """A loader that finds everything, or everything but libxcb-cursor."""
    return lambda name: found or name != "libxcb-cursor.so.0"


@pytest.mark.parametrize(
    ("env", "found", "problem"),
    [
        ({}, True, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "offscreen"}, False, None),
        ({"DISPLAY": ":0"}, True, None),
        ({"DISPLAY": ":0"}, False, NO_XCB_CURSOR),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, False, NO_XCB_CURSOR),
        ({"QT_QPA_PLATFORM": "xcb"}, True, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "w-0"}, False, None),
        ({"WAYLAND_DISPLAY": "w-0"}, False, None),
        ({"WAYLAND_DISPLAY": "w-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, False, None),
        (
            {"WAYLAND_DISPLAY": "w-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"},
            False,
            NO_XCB_CURSOR,
        ),
    ],
)
def test_which_environments_can_open_a_window(
    env: dict[str, str], found: bool, problem: str | None
) -> None:
    assert display_problem(env, "linux", _loads(found), _answers) == problem


def test_other_systems_are_left_to_qt() -> None:
    assert display_problem({}, "win32", _loads(False)) is None
    assert display_problem({}, "darwin", _loads(False)) is None


def test_the_real_loader_tells_present_from_missing() -> None:
    assert display_check._can_load("libc.so.6") is (sys.platform.startswith("linux"))
    assert display_check._can_load("libno-such-library.so.0") is False


def test_every_missing_library_is_named_with_its_packages() -> None:
    def loads(name: str) -> bool:
        return name not in ("libxcb-cursor.so.0", "libxcb-icccm.so.4")

    assert display_problem({"DISPLAY": ":0"}, "linux", loads, _answers) == (
        "Qt's xcb platform plugin needs libxcb-cursor.so.0, libxcb-icccm.so.4, not installed: "
        "sudo apt install libxcb-cursor0 libxcb-icccm4 (Debian/Ubuntu) or "
        "sudo dnf install xcb-util-cursor xcb-util-wm (Fedora)"
    )


def test_a_display_nothing_answers_on_is_named() -> None:
    problem = display_problem({"DISPLAY": ":55"}, "linux", _loads(True), lambda display: False)
    assert problem == (
        "cannot connect to the X display ':55' (is the X server running, and is DISPLAY "
        "right?); for a headless run set QT_QPA_PLATFORM=offscreen"
    )


@pytest.mark.skipif(not display_check._can_load("libxcb.so.1"), reason="needs libxcb")
def test_the_real_probe_finds_no_x_server_on_an_unused_display() -> None:
    assert display_check._x_server_answers(":987") is False


def test_the_no_display_message_names_the_headless_run() -> None:
    assert "QT_QPA_PLATFORM=offscreen" in NO_DISPLAY and "--report" in NO_DISPLAY


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux's")
def test_main_stops_before_qt_without_libxcb_cursor(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(display_check, "_can_load", _loads(False))
    assert main(["--exit-after", "0"]) == 2
    err = capsys.readouterr().err
    assert err == f"paradex-terminal: {NO_XCB_CURSOR}\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux's")
def test_the_executable_without_a_display_says_so_in_one_line() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "terminal.app.main", "--exit-after", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr == f"paradex-terminal: {NO_DISPLAY}\n"
