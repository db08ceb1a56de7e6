"""A table model's full content as CSV: every row, every column, exact figures."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from terminal.viewmodels.columns import ColumnTableModel


def write_csv(model: ColumnTableModel[Any], path: Path | str) -> int:
    """Write the header and every row (Decimals unrounded, times in UTC ISO 8601) to `path`;
    returns the number of rows written."""
    count = model.rowCount()
    with Path(path).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(column.title for column in model.columns)
        for n in range(count):
            row = model.row_at(n)
            writer.writerow(column.exported(row) for column in model.columns)
    return count
