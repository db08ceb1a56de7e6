"""Render resources/icons/app.svg to the PNG, .ico and .icns icons the packages use.

`python packaging/make_icons.py` (offscreen Qt; PySide6 is all it needs). Writes
`resources/icons/app-<N>.png` for every size in SIZES, `app.ico` (Windows) and `app.icns`
(macOS). Both containers hold PNG images, which Windows Vista+ and macOS 10.7+ read, so no
image library beyond Qt is needed. Re-run it after editing the SVG and commit the output.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 64, 128, 256)
"""ICO entries store width and height in one byte each: 256 (written as 0) is the largest."""
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),  # 16 pt @2x
    (b"ic12", 64),  # 32 pt @2x
    (b"ic13", 256),  # 128 pt @2x
    (b"ic14", 512),  # 256 pt @2x
)
"""Apple's PNG-carrying icon types and their pixel sizes (no 1024: the SVG is small art)."""


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn into a transparent size x size PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding the PNG images of ICO_SIZES."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, images = b"", b""
    for size in ICO_SIZES:
        data = pngs[size]
        side = size % 256  # 256 is stored as 0
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding the PNG images of ICNS_TYPES."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    """Write every icon file next to the SVG."""
    svg = ICONS / "app.svg"
    pngs = {size: render_png(svg, size) for size in SIZES}
    for size, data in pngs.items():
        (ICONS / f"app-{size}.png").write_bytes(data)
    (ICONS / "app.ico").write_bytes(ico(pngs))
    (ICONS / "app.icns").write_bytes(icns(pngs))
    print(f"wrote {len(pngs)} PNGs, app.ico and app.icns to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
