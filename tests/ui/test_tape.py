"""The tape's cached lines and its view: columns fit their text, both sides are painted."""

from __future__ import annotations

from PySide6.QtGui import QImage

from terminal.domain.orders import Side
from terminal.viewmodels.tape import TapeModel
from terminal.widgets.palette import DARK
from terminal.widgets.tape import TapeWidget

from .conftest import make_instrument, make_trade


def _tape_widget(qtbot, tick: str = "0.1") -> tuple[TapeModel, TapeWidget]:
    model = TapeModel()
    model.set_market("BTC-USD-PERP")
    model.set_instrument(make_instrument(tick=tick, step="0.001"))
    widget = TapeWidget(model)
    qtbot.addWidget(widget)
    widget.resize(330, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return model, widget


def _colours(image: QImage) -> set[int]:
    return {image.pixel(x, y) for y in range(image.height()) for x in range(image.width())}


def test_price_and_size_columns_fit_their_widest_text(qtbot) -> None:
    model, widget = _tape_widget(qtbot)
    header = widget.view.horizontalHeader()
    narrow = header.sectionSize(1)
    model.on_trade(make_trade("67575.5", "12.125"))
    model.flush()
    metrics = widget.view.fontMetrics()
    assert model.index(0, 1).data() == "67,575.5"
    assert header.sectionSize(1) > narrow
    assert header.sectionSize(1) >= metrics.horizontalAdvance("67,575.5")
    assert header.sectionSize(2) >= metrics.horizontalAdvance("12.125")
    model.set_market("ETH-USD-PERP")
    assert header.sectionSize(1) == narrow


def test_columns_are_measured_again_in_a_new_font(qtbot) -> None:
    # Widths are cached by the text's shape: a font change must not leave them small.
    model, widget = _tape_widget(qtbot)
    model.on_trade(make_trade("67575.5", "12.125"))
    model.flush()
    header = widget.view.horizontalHeader()
    before = header.sectionSize(1)
    font = widget.view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    widget.view.setFont(font)
    model.set_market("ETH-USD-PERP")
    model.set_instrument(make_instrument(tick="0.1", step="0.001"))
    model.on_trade(make_trade("67575.5", "12.125", market="ETH-USD-PERP"))
    model.flush()
    assert header.sectionSize(1) >= widget.view.fontMetrics().horizontalAdvance("67,575.5")
    assert header.sectionSize(1) > before


def test_new_instrument_reformats_cached_rows_and_refits(qtbot) -> None:
    model, widget = _tape_widget(qtbot)
    model.on_trade(make_trade("67575.5", "1"))
    model.flush()
    model.set_instrument(make_instrument(tick="0.0001", step="0.001"))
    assert model.index(0, 1).data() == "67,575.5000"
    assert model.line(0).texts[1] == "67,575.5000"
    metrics = widget.view.fontMetrics()
    assert widget.view.horizontalHeader().sectionSize(1) >= metrics.horizontalAdvance("67,575.5000")


def test_paints_buys_and_sells_in_their_colours_after_rows_scroll_in(qtbot) -> None:
    model, widget = _tape_widget(qtbot)
    for i in range(40):  # more rows than fit: the painter must pick the visible ones
        side = Side.BUY if i < 20 else Side.SELL
        model.on_trade(make_trade(f"100.{i % 10}", side=side, trade_id=str(i)))
    model.flush()
    top = _colours(widget.view.viewport().grab().toImage())
    assert DARK.color("ask").rgb() in top
    assert DARK.color("bid").rgb() not in top
    widget.view.scrollToBottom()
    bottom = _colours(widget.view.viewport().grab().toImage())
    assert DARK.color("bid").rgb() in bottom
    assert DARK.color("ask").rgb() not in bottom


def test_a_narrow_tape_drops_the_side_column_instead_of_clipping(qtbot) -> None:
    model, widget = _tape_widget(qtbot)
    model.on_trade(make_trade("67575.5", "12.125"))
    model.flush()
    view = widget.view
    assert not view.isColumnHidden(3)
    widget.resize(200, 200)
    qtbot.waitUntil(lambda: view.isColumnHidden(3), timeout=2000)
    header = view.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(3)) <= view.viewport().width() + 40
    widget.resize(400, 200)
    qtbot.waitUntil(lambda: not view.isColumnHidden(3), timeout=2000)


def test_the_tape_asks_for_room_for_time_price_and_size(qtbot) -> None:
    model, widget = _tape_widget(qtbot)
    before = widget.view.minimumSizeHint().width()
    model.on_trade(make_trade("1234567.5", "12345.125"))
    model.flush()
    header = widget.view.horizontalHeader()
    wanted = widget.view.minimumSizeHint().width()
    assert wanted > before
    assert wanted >= header.sectionSize(0) + header.sectionSize(1)


def test_backfill_puts_older_trades_under_the_live_ones_once(qtbot) -> None:
    model = TapeModel()
    model.set_market("BTC-USD-PERP")
    model.on_trade(make_trade("101", at_ms=2_000, trade_id="live"))
    model.flush()
    older = [
        make_trade("101", at_ms=2_000, trade_id="live"),  # the feed delivered it already
        make_trade("100", at_ms=1_500, side=Side.SELL, trade_id="b"),
        make_trade("99", at_ms=1_000, trade_id="a"),
    ]
    model.backfill("ETH-USD-PERP", older)  # the user moved on: ignored
    assert model.rowCount() == 1
    model.backfill("BTC-USD-PERP", older)
    assert [model.row_at(r).id for r in range(model.rowCount())] == ["live", "b", "a"]
    assert model.line(1).texts[1] == "100" and model.line(1).tone == "down"


def test_the_side_column_shows_for_every_market_or_none_at_a_width(qtbot) -> None:
    tapes = []
    for price, size in (("67575.5", "0.125"), ("172.5", "12.5")):  # BTC-like, SOL-like
        model, widget = _tape_widget(qtbot)
        model.on_trade(make_trade(price, size))
        model.flush()
        tapes.append(widget)
    for width in range(240, 400, 15):
        for widget in tapes:
            widget.resize(width, 200)
        qtbot.waitUntil(lambda w=width: all(t.width() == w for t in tapes))
        shown = {not t.view.isColumnHidden(3) for t in tapes}
        assert len(shown) == 1, width
