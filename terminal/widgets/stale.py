"""The STALE look the market panels share: a dimmed, hatched body under an orange banner.

Stale data is never shown as live (DESIGN.md, failure rules): the ladder paints this over
its rows, the chart lays a `StaleCover` over its plots, both with the palette's `stale_*`
colours and the same words.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from terminal.widgets.palette import Palette

BANNER_LINES = 1.6
"""The banner's height in lines of its font, at least (a long reason wraps onto more)."""
_BANNER_FLAGS = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
_BANNER_PAD = 8.0


def stale_text(reason: str) -> str:
    """The banner's words for a stale feed and its reason ("" when none is known)."""
    return f"STALE — resyncing ({reason})" if reason else "STALE — resyncing"


def banner_height(font: QFont, text: str, width: float) -> float:
    """How tall a banner `width` wide must be to show all of `text`, wrapped at spaces."""
    metrics = QFontMetricsF(font)
    room = QRectF(0, 0, max(1.0, width - 2 * _BANNER_PAD), 10_000)
    wrapped = metrics.boundingRect(room, _BANNER_FLAGS, text).height()
    return max(metrics.height() * BANNER_LINES, wrapped + metrics.height() * (BANNER_LINES - 1))


def paint_stale(
    painter: QPainter,
    body: QRectF,
    banner: QRectF | None,
    colours: Mapping[str, QColor],
    font: QFont,
    text: str,
) -> None:
    """Dim and hatch `body`; draw `text` on an orange `banner` (none: the body only)."""
    painter.fillRect(body, colours["stale_overlay"])
    painter.fillRect(body, QBrush(colours["stale_hatch"], Qt.BrushStyle.BDiagPattern))
    if banner is None:
        return
    painter.fillRect(banner, colours["stale_banner"])
    painter.setPen(colours["stale_text"])
    painter.setFont(font)
    painter.drawText(banner.adjusted(_BANNER_PAD, 0, -_BANNER_PAD, 0), _BANNER_FLAGS, text)


class StaleCover(QGraphicsObject):
    """A graphics item that covers its parent item with the STALE look while shown.

    Hidden while the feed is live; `show_stale(reason)` / `show_live()` switch it. With
    `banner=False` it only dims (a second plot under one banner).
    """

    def __init__(self, parent: QGraphicsItem, font: QFont, *, banner: bool = True) -> None:
        super().__init__(parent)
        self._font = font
        self._banner = banner
        self._colours: dict[str, QColor] = {}
        self.text = ""
        self.setVisible(False)

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._colours = palette.qcolors()
        self.update()

    def show_stale(self, reason: str) -> None:
        """Cover the parent, saying why the feed is stale."""
        self.text = stale_text(reason)
        self.setVisible(True)
        self.update()

    def show_live(self) -> None:
        """Uncover the parent."""
        self.setVisible(False)

    def parent_resized(self) -> None:
        """Follow the parent's new size (connect to its resize signal)."""
        self.prepareGeometryChange()

    def banner_rect(self) -> QRectF:
        """Where the banner goes, in the parent's coordinates: along the bottom edge, clear
        of the readout at the top and of a message in the middle."""
        body = self.boundingRect()
        height = banner_height(self._font, self.text, body.width())
        return QRectF(body.left(), body.bottom() - height, body.width(), height)

    def boundingRect(self) -> QRectF:
        parent = self.parentItem()
        return parent.boundingRect() if parent is not None else QRectF()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        banner = self.banner_rect() if self._banner else None
        paint_stale(painter, self.boundingRect(), banner, self._colours, self._font, self.text)
