"""The markets watchlist panel: filter box, sortable table; a click selects the market."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyleOptionHeader,
    QVBoxLayout,
    QWidget,
)

from terminal.viewmodels.selection import MarketSelection
from terminal.viewmodels.watchlist import WatchlistModel, WatchlistProxy
from terminal.widgets.palette import Palette
from terminal.widgets.table_view import MarketTableView
from terminal.widgets.text_shape import text_shape

ALWAYS_SHOWN = 2  # market and last price


class WatchlistWidget(QWidget):
    """All markets with live figures; clicking a row sets the shared MarketSelection."""

    def __init__(
        self, model: WatchlistModel, selection: MarketSelection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.selection = selection
        self.proxy = WatchlistProxy(model, self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter markets…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.returnPressed.connect(self._select_first_match)
        self.view = MarketTableView("Connecting…", self)
        self.view.setModel(self.proxy)
        # Every column as wide as its text and its header, sized by fit_columns; room to
        # spare is shared by all, not left as one gap before the last.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.proxy.headerDataChanged.connect(self.fit_columns)  # the sorted title grew an arrow
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setSortingEnabled(True)
        header.setSortIndicatorShown(False)  # the arrow is in the title: the style's covered it
        self.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # busiest markets first
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)
        selection.changed.connect(self._show_selected)
        model.modelReset.connect(lambda: self._show_selected(selection.symbol))
        # Shapes (digits as 0) of the texts the columns were last fitted to, by source cell.
        self._shapes: dict[tuple[int, int], str] = {}
        model.modelReset.connect(self._shapes.clear)
        model.dataChanged.connect(self._refit_if_reshaped)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        # Ctrl+1 lands in the filter: typing narrows the list, Enter shows the market.
        self.setFocusProxy(self.filter)

    def column_widths(self) -> list[int]:
        """Pixels each column needs to show its header (the sorted one's with its arrow)
        and its current rows whole."""
        view = self.view
        return [
            max(view.sizeHintForColumn(i), self._title_width(i))
            for i in range(self.proxy.columnCount())
        ]

    def _title_width(self, column: int) -> int:
        """A header title's width as the style lays it out. Measured, not read from the
        header: Qt sizes a hidden section at 0, and a hidden column measured narrower
        would show, measure wider and hide again on every flush."""
        header = self.view.horizontalHeader()
        option = QStyleOptionHeader()
        option.initFrom(header)
        option.section = column
        option.text = str(self.proxy.headerData(column, Qt.Orientation.Horizontal))
        contents = QStyle.ContentsType.CT_HeaderSection
        return header.style().sizeFromContents(contents, option, QSize(), header).width()

    def content_width(self) -> int:
        """Pixels the table needs to show every column whole."""
        view = self.view
        chrome = 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
        return sum(self.column_widths()) + chrome

    def fit_columns(self) -> None:
        """Hide the rightmost columns that do not fit whole (market and last price always
        show): a narrow panel shows fewer figures rather than elided ones. The shown ones
        share the room left over."""
        view, header = self.view, self.view.horizontalHeader()
        room = view.width() - 2 * view.frameWidth() - view.verticalScrollBar().sizeHint().width()
        widths = self.column_widths()
        used = 0
        shown = []
        for column, width in enumerate(widths):
            used += width
            hide = column >= ALWAYS_SHOWN and used > room
            # Only on a change: re-hiding a hidden column re-lays the whole header out.
            if view.isColumnHidden(column) != hide:
                view.setColumnHidden(column, hide)
            if not hide:
                shown.append(column)
        spare = max(0, room - sum(widths[c] for c in shown))
        for n, column in enumerate(shown):
            # an unchanged size is a no-op for the header: a steady panel re-lays nothing
            header.resizeSection(
                column, widths[column] + spare // len(shown) + (n < spare % len(shown))
            )

    def _refit_if_reshaped(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        """Fit the columns again only if a changed text changed shape. Fitting measures
        every cell through the delegate (≈ 40 ms for the demo's markets, on every summary
        flush, the first steady-state stall under a spike); a new figure of the same shape
        is exactly as wide."""
        model, shapes, reshaped = self.model, self._shapes, False
        for row in range(top_left.row(), bottom_right.row() + 1):
            for column in range(top_left.column(), bottom_right.column() + 1):
                shape = text_shape(str(model.data(model.index(row, column))))
                if shapes.get((row, column)) != shape:
                    shapes[row, column] = shape
                    reshaped = True
        if reshaped:
            self.fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self.view.set_palette(palette)

    def _on_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.selection.set_symbol(self.model.symbol_at(source.row()))

    def _select_first_match(self) -> None:
        """Enter in the filter: show the first market listed."""
        first = self.proxy.index(0, 0)
        if first.isValid():
            self._on_clicked(first)

    def _show_selected(self, symbol: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.symbol_at(row) == symbol:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    flags = (
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows
                    )
                    self.view.selectionModel().select(index, flags)
                return
