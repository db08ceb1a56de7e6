"""The packaging inputs: committed icons, the Linux desktop entry, and the binary checker."""

from __future__ import annotations

import configparser
import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage, QImageReader

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"


def _load(name: str) -> ModuleType:
    """A script from packaging/ (not a package: `packaging` is also a PyPI library)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_icons = _load("make_icons")
check_binary = _load("check_binary")


@pytest.mark.parametrize("size", make_icons.SIZES)
def test_png_icons_are_committed_at_every_size(size: int) -> None:
    image = QImage(str(ICONS / f"app-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


@pytest.mark.parametrize(
    ("name", "sizes"),
    [
        ("app.ico", sorted(make_icons.ICO_SIZES)),
        ("app.icns", sorted(size for _, size in make_icons.ICNS_TYPES)),
    ],
)
def test_ico_and_icns_hold_every_size(name: str, sizes: list[int]) -> None:
    reader = QImageReader(str(ICONS / name))
    found = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        found.append(reader.read().width())
    assert sorted(found) == sizes


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "packaging" / "linux" / "paradex-terminal.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "paradex-terminal" and desktop["Icon"] == "paradex-terminal"
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")


def _fake_binary(tmp_path: Path, report: dict[str, object], version: str) -> Path:
    """An executable that answers like the terminal: its version line, or a report line."""
    script = tmp_path / "paradex-terminal"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!{sys.executable}
            import sys
            if "--version" in sys.argv:
                print("paradex-terminal {version}")
            else:
                print({json.dumps(json.dumps(report))})
            """
        )
    )
    script.chmod(0o755)
    return script


VERSION = check_binary.project_version()
STAMPED = f"{VERSION} (build abc1234, 2026-01-01)"
LIVE = {
    "messages": {"order_book.BTC-USD-PERP.deltas": 50, "trades.BTC-USD-PERP": 9},
    "frames": {"ladder": 30},
    "startup_ms": 400.0,
}


@pytest.mark.skipif(sys.platform == "win32", reason="the fake binary is a #! script")
def test_the_checker_passes_a_live_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert check_binary.main([str(_fake_binary(tmp_path, LIVE, STAMPED)), "--seconds", "0"]) == 0
    assert "package check passed" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="the fake binary is a #! script")
@pytest.mark.parametrize(
    ("report", "version", "complaint"),
    [
        ({**LIVE, "messages": {"trades.BTC-USD-PERP": 9}}, STAMPED, "0 book messages"),
        ({**LIVE, "frames": {}}, STAMPED, "0 ladder frames"),
        (LIVE, "0.0.0-not-this (build abc1234, 2026-01-01)", "--version: expected"),
        (LIVE, VERSION, "--version: expected"),  # no build stamp
    ],
)
def test_the_checker_names_what_is_missing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    report: dict[str, object],
    version: str,
    complaint: str,
) -> None:
    binary = _fake_binary(tmp_path, report, version)
    assert check_binary.main([str(binary), "--seconds", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("package check FAILED: ") and complaint in err, err
    assert err.count("\n") == 1
