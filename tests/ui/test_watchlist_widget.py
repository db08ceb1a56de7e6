"""WatchlistWidget layout: short headers, columns sized to their text, fits its dock."""

from __future__ import annotations

from PySide6.QtCore import Qt

from terminal.viewmodels.selection import MarketSelection
from terminal.viewmodels.watchlist import WatchlistModel
from terminal.widgets.watchlist import WatchlistWidget

from .conftest import make_instrument, make_summary

MARKETS = (
    ("BTC-USD-PERP", "0.1", "67597.3", "1853000000", "9464.9", "0.000085", "-0.0215"),
    ("ETH-USD-PERP", "0.01", "3449.04", "921000000", "89930.2", "0.00012", "0.0312"),
    ("SOL-USD-PERP", "0.001", "172.536", "265000000", "510414.7", "-0.00006", "0.1042"),
)


def _filled(qtbot) -> WatchlistWidget:
    model = WatchlistModel()
    model.set_instruments([make_instrument(symbol=m[0], tick=m[1]) for m in MARKETS])
    for symbol, _tick, last, volume, oi, funding, change in MARKETS:
        model.on_summary(
            make_summary(
                symbol,
                last,
                volume_24h=volume,
                open_interest=oi,
                funding_rate=funding,
                price_change_rate_24h=change,
            )
        )
    model.flush()
    widget = WatchlistWidget(model, MarketSelection())
    qtbot.addWidget(widget)
    return widget


def test_headers_are_short_and_clear(qtbot) -> None:
    widget = _filled(qtbot)
    model = widget.model
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert titles == ["Market", "Last", "24h %", "Vol 24h", "Funding", "OI", "Mark"]


def test_columns_show_whole_figures_and_a_narrow_panel_hides_the_last_ones(qtbot) -> None:
    widget = _filled(qtbot)
    widget.resize(widget.content_width() + 10, 300)
    widget.show()
    qtbot.waitExposed(widget)
    view, header = widget.view, widget.view.horizontalHeader()
    assert not any(view.isColumnHidden(c) for c in range(header.count()))
    for column in range(header.count()):
        assert header.sectionSize(column) >= view.sizeHintForColumn(column)
    texts = sorted(widget.proxy.index(r, 1).data() for r in range(3))
    assert texts == ["172.536", "3,449.04", "67,597.3"]
    volumes = sorted(widget.proxy.index(r, 3).data() for r in range(3))
    assert volumes == ["1.9B", "265.0M", "921.0M"]
    widths = widget.column_widths()
    widget.resize(sum(widths[:4]) + 40, 300)
    qtbot.waitUntil(lambda: view.isColumnHidden(6))
    assert [view.isColumnHidden(c) for c in range(7)] == [False] * 4 + [True] * 3
    widget.resize(100, 300)  # market and last price stay whatever the width
    qtbot.waitUntil(lambda: view.isColumnHidden(2))
    assert not view.isColumnHidden(0) and not view.isColumnHidden(1)


def _text_fits(widget: WatchlistWidget) -> None:
    """Every shown header title (the sorted one with its arrow) and cell text fits its
    column."""
    view, header = widget.view, widget.view.horizontalHeader()
    metrics = view.fontMetrics()
    for column in range(header.count()):
        if view.isColumnHidden(column):
            continue
        title = str(widget.proxy.headerData(column, Qt.Orientation.Horizontal))
        assert header.fontMetrics().horizontalAdvance(title) <= header.sectionSize(column), title
        for row in range(widget.proxy.rowCount()):
            text = widget.proxy.index(row, column).data()
            assert metrics.horizontalAdvance(text) <= header.sectionSize(column), text


def test_the_sort_arrow_is_part_of_the_sorted_title(qtbot) -> None:
    widget = _filled(qtbot)
    widget.resize(widget.content_width() + 10, 300)
    widget.show()
    qtbot.waitExposed(widget)

    def titles() -> list[str]:
        proxy = widget.proxy
        return [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]

    assert titles()[3] == "Vol 24h ▾"  # busiest first
    _text_fits(widget)
    widget.view.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    assert titles()[3] == "Vol 24h" and titles()[6] == "Mark ▴"
    header = widget.view.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(6) >= widget.column_widths()[6])
    _text_fits(widget)


def test_a_wide_panel_shares_its_room_instead_of_one_gap_before_mark(qtbot) -> None:
    widget = _filled(qtbot)
    natural = widget.content_width()
    widget.resize(natural + 300, 300)
    widget.show()
    qtbot.waitExposed(widget)
    header = widget.view.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(6) > widget.column_widths()[6])
    extra = [header.sectionSize(c) - w for c, w in enumerate(widget.column_widths())]
    assert max(extra) - min(extra) <= 1, extra


def test_columns_are_refitted_only_when_a_figure_changes_shape(qtbot, monkeypatch) -> None:
    # Fitting measures every cell (tens of ms for a full list): a new price of the same
    # shape (digits as 0) is exactly as wide, so only a change of shape refits.
    widget = _filled(qtbot)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    fits: list[int] = []
    real_fit = widget.fit_columns
    monkeypatch.setattr(widget, "fit_columns", lambda: fits.append(1) or real_fit())
    model = widget.model
    model.on_summary(make_summary("BTC-USD-PERP", "67598.1", volume_24h="1853000000"))
    model.flush()
    model.on_summary(make_summary("BTC-USD-PERP", "67598.2", volume_24h="1853000000"))
    model.flush()
    assert fits == [1]  # the first flush met these cells' shapes; the second kept them
    model.on_summary(make_summary("BTC-USD-PERP", "167598.2", volume_24h="1853000000"))
    model.flush()
    assert fits == [1, 1]
    _text_fits(widget)
