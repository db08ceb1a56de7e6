"""TapeWidget and WatchlistWidget: empty states, tones, filter box, click-to-select."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from terminal.domain.orders import Side
from terminal.viewmodels.selection import MarketSelection
from terminal.viewmodels.tape import TapeModel
from terminal.viewmodels.watchlist import WatchlistModel
from terminal.widgets.palette import DARK, LIGHT
from terminal.widgets.tape import TapeWidget
from terminal.widgets.watchlist import WatchlistWidget

from .conftest import make_instrument, make_summary, make_trade


def _has_colour(image: QImage, colour: int) -> bool:
    return any(
        image.pixel(x, y) == colour
        for y in range(0, image.height(), 1)
        for x in range(0, image.width(), 1)
    )


def test_tape_shows_waiting_then_trades_in_side_colours(qtbot) -> None:
    model = TapeModel()
    model.set_market("BTC-USD-PERP")
    widget = TapeWidget(model)
    qtbot.addWidget(widget)
    widget.resize(360, 200)
    widget.show()
    qtbot.waitExposed(widget)
    empty = widget.view.viewport().grab().toImage()
    model.on_trade(make_trade("100", side=Side.SELL))
    model.flush()
    filled = widget.view.viewport().grab().toImage()
    assert empty != filled
    assert _has_colour(filled, DARK.color("ask").rgb())
    assert not _has_colour(filled, DARK.color("bid").rgb())
    widget.set_palette(LIGHT)
    assert _has_colour(widget.view.viewport().grab().toImage(), LIGHT.color("ask").rgb())


def test_watchlist_click_selects_and_filter_narrows(qtbot) -> None:
    model = WatchlistModel()
    selection = MarketSelection()
    widget = WatchlistWidget(model, selection)
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.view.empty_text == "Connecting…"
    model.set_instruments([make_instrument(m) for m in ("BTC-USD-PERP", "ETH-USD-PERP")])
    model.on_summary(make_summary("ETH-USD-PERP", "10", volume_24h="5"))
    model.on_summary(make_summary("BTC-USD-PERP", "20", volume_24h="9"))
    model.flush()
    # Sorted by volume, busiest first.
    assert widget.proxy.index(0, 0).data() == "BTC-USD-PERP"
    with qtbot.waitSignal(selection.changed) as blocker:
        rect = widget.view.visualRect(widget.proxy.index(1, 2))
        qtbot.mouseClick(widget.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["ETH-USD-PERP"]
    qtbot.keyClicks(widget.filter, "btc")
    assert widget.proxy.rowCount() == 1
    selection.set_symbol("BTC-USD-PERP")
    assert widget.view.selectionModel().isRowSelected(0)


def test_watchlist_tones_changes_in_the_palette_colours(qtbot) -> None:
    model = WatchlistModel()
    widget = WatchlistWidget(model, MarketSelection())
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    widget.show()
    qtbot.waitExposed(widget)
    model.set_instruments([make_instrument("BTC-USD-PERP")])
    model.on_summary(make_summary(price_change_rate_24h="-0.02", funding_rate="-0.0001"))
    model.flush()
    dark = widget.view.viewport().grab().toImage()
    assert _has_colour(dark, DARK.color("ask").rgb())
    assert not _has_colour(dark, DARK.color("bid").rgb())
    widget.set_palette(LIGHT)
    assert _has_colour(widget.view.viewport().grab().toImage(), LIGHT.color("ask").rgb())


def test_watchlist_refit_touches_no_column_whose_visibility_stays(qtbot) -> None:
    model = WatchlistModel()
    widget = WatchlistWidget(model, MarketSelection())
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    widget.show()
    qtbot.waitExposed(widget)
    model.set_instruments([make_instrument("BTC-USD-PERP")])
    model.on_summary(make_summary())
    model.flush()
    hidden = [widget.view.isColumnHidden(c) for c in range(model.columnCount())]
    assert hidden[:2] == [False, False] and any(hidden)  # narrow: some figures hidden
    toggled: list[int] = []
    header = widget.view.horizontalHeader()
    header.sectionResized.connect(lambda column, _old, _new: toggled.append(column))
    # Another summary of the same width: each column's show/hide decision stands, and
    # re-applying it would re-lay the header out (with a hundred markets, ~100 ms a frame).
    model.on_summary(make_summary(last="101"))
    model.flush()
    assert [widget.view.isColumnHidden(c) for c in range(model.columnCount())] == hidden
    assert toggled == []


def test_enter_in_the_watchlist_filter_selects_the_first_match(qtbot) -> None:
    model = WatchlistModel()
    selection = MarketSelection("ETH-USD-PERP")
    widget = WatchlistWidget(model, selection)
    qtbot.addWidget(widget)
    model.set_instruments([make_instrument(m) for m in ("ETH-USD-PERP", "SOL-USD-PERP")])
    widget.show()
    widget.setFocus()
    assert widget.focusProxy() is widget.filter  # Ctrl+1 lands where typing filters
    qtbot.keyClicks(widget.filter, "sol")
    assert selection.symbol == "ETH-USD-PERP"  # filtering alone selects nothing
    with qtbot.waitSignal(selection.changed) as blocker:
        qtbot.keyClick(widget.filter, Qt.Key.Key_Return)
    assert blocker.args == ["SOL-USD-PERP"]
