"""Table models from column specs: each column says how a row displays, sorts and is toned.

Tables are data, not if-chains: a model is a list of rows plus a tuple of `Column`s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

R = TypeVar("R")

TONE_ROLE = Qt.ItemDataRole.UserRole + 1
""""up", "down" or None: the view colours the text (green/red in the palette)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""The exact value to sort by (a Decimal, an int or a str; None sorts last)."""

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column: its title and how a row shows, sorts and tones in it."""

    title: str
    display: Callable[[R], str]
    sort_key: Callable[[R], object] | None = None
    tone: Callable[[R], str | None] | None = None
    align: Qt.AlignmentFlag = RIGHT
    export: Callable[[R], str] | None = None
    """The exact text for a CSV export (a Decimal unrounded); by default the display text."""

    def exported(self, row: R) -> str:
        """The row's exact text in this column."""
        return self.export(row) if self.export is not None else self.display(row)


class ColumnTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over `self._rows`, laid out by `columns`."""

    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[R] = []

    def row_at(self, row: int) -> R:
        """The row object shown at `row`."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self.columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role == TONE_ROLE:
            return column.tone(row) if column.tone else None
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.display(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.columns[section].align.value)
        return None


class ExactSortProxy(QSortFilterProxyModel):
    """Sorts a column model by `SORT_ROLE`: exact values (Decimal, int, str), None last."""

    def __init__(self, source: QAbstractTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a = left.data(SORT_ROLE)
        b = right.data(SORT_ROLE)
        # None (not known yet) sorts after every value in ascending order.
        if a is None or b is None:
            return a is not None and b is None
        return bool(a < b)
