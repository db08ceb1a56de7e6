"""TapeModel and WatchlistModel: model sanity, bounds, coalescing, sorting, filtering."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, QTimer

from terminal.domain.orders import Side
from terminal.viewmodels.columns import SORT_ROLE, TONE_ROLE
from terminal.viewmodels.formatting import format_time_ms
from terminal.viewmodels.tape import TapeModel
from terminal.viewmodels.watchlist import WatchlistModel, WatchlistProxy

from .conftest import make_instrument, make_summary, make_trade

MARKETS = ["BTC-USD-PERP", "ETH-USD-PERP", "SOL-USD-PERP"]


def _tape(capacity: int = 5, timer: QTimer | None = None) -> TapeModel:
    tape = TapeModel(capacity=capacity, timer=timer)
    tape.set_market("BTC-USD-PERP")
    tape.set_instrument(make_instrument(tick="0.1", step="0.001"))
    return tape


def test_tape_passes_the_model_tester(qtmodeltester) -> None:
    tape = _tape()
    for i in range(3):
        tape.on_trade(make_trade(f"100.{i}", trade_id=str(i)))
    tape.flush()
    qtmodeltester.check(tape)


def test_tape_is_newest_first_formatted_and_toned() -> None:
    tape = _tape()
    tape.on_trade(make_trade("67000.5", "0.25", Side.BUY, at_ms=1_000))
    tape.on_trade(make_trade("67000", "1", Side.SELL, at_ms=2_000))
    tape.flush()
    texts = [[tape.index(r, c).data() for c in range(4)] for r in range(2)]
    assert texts == [
        [format_time_ms(2_000), "67,000.0", "1.000", "Sell"],
        [format_time_ms(1_000), "67,000.5", "0.250", "Buy"],
    ]
    assert tape.index(0, 1).data(TONE_ROLE) == "down"
    assert tape.index(1, 3).data(TONE_ROLE) == "up"
    assert tape.index(0, 1).data(SORT_ROLE) == Decimal("67000")


def test_tape_is_bounded_and_inserts_a_burst_at_once(qtmodeltester) -> None:
    timer = QTimer()
    tape = _tape(capacity=5, timer=timer)
    qtmodeltester.check(tape)
    inserts: list[tuple[int, int]] = []
    tape.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    tape.on_trade(make_trade("1", trade_id="first"))  # runs at once, opens the window
    for i in range(8):
        tape.on_trade(make_trade(f"{10 + i}", trade_id=str(i)))
    assert tape.rowCount() == 1
    timer.timeout.emit()
    assert inserts == [(0, 0), (0, 4)]
    assert tape.rowCount() == 5
    assert [tape.row_at(r).id for r in range(5)] == ["7", "6", "5", "4", "3"]


def test_tape_ignores_other_markets_and_clears_on_switch() -> None:
    tape = _tape()
    tape.on_trade(make_trade("1", market="ETH-USD-PERP"))
    tape.on_trade(make_trade("1"))
    tape.flush()
    assert tape.rowCount() == 1
    tape.set_market("ETH-USD-PERP")
    assert tape.rowCount() == 0


def _watchlist(timer: QTimer | None = None) -> WatchlistModel:
    model = WatchlistModel(timer=timer)
    model.set_instruments([make_instrument(m) for m in MARKETS])
    return model


def test_watchlist_passes_the_model_tester(qtmodeltester) -> None:
    model = _watchlist()
    model.on_summary(make_summary("BTC-USD-PERP", "67000.1"))
    model.flush()
    qtmodeltester.check(model)
    qtmodeltester.check(WatchlistProxy(model))


def test_watchlist_formats_every_column() -> None:
    model = _watchlist()
    model.on_summary(
        make_summary(
            "ETH-USD-PERP",
            "3456.7",
            price_change_rate_24h="-0.0512",
            volume_24h="1234567",
            funding_rate="0.000125",
            open_interest="98765",
        )
    )
    model.flush()
    row = [model.index(1, c).data() for c in range(model.columnCount())]
    assert row == ["ETH-USD-PERP", "3,456.7", "-5.12%", "1.2M", "+0.0125%", "98.8K", "3,456.7"]
    assert model.index(1, 2).data(TONE_ROLE) == "down"
    assert model.index(0, 1).data() == "–"


def test_watchlist_coalesces_a_burst_into_one_ranged_data_changed() -> None:
    timer = QTimer()
    model = _watchlist(timer=timer)
    model.on_summary(make_summary("BTC-USD-PERP", "1"))  # runs at once
    ranges: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, _roles: ranges.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    for i in range(50):
        model.on_summary(make_summary("ETH-USD-PERP", str(100 + i)))
        model.on_summary(make_summary("SOL-USD-PERP", str(10 + i)))
    timer.timeout.emit()
    assert ranges == [(1, 1, 2, 6)]
    assert model.index(1, 1).data() == "149.0"


def test_watchlist_sorts_by_exact_value_and_filters_by_name(qtmodeltester) -> None:
    model = _watchlist()
    proxy = WatchlistProxy(model)
    # As strings "9.5" > "10.25"; as Decimals it is the other way round.
    model.on_summary(make_summary("BTC-USD-PERP", "10.25"))
    model.on_summary(make_summary("ETH-USD-PERP", "9.5"))
    model.flush()
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    order = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert order == ["ETH-USD-PERP", "BTC-USD-PERP", "SOL-USD-PERP"]  # no summary: last
    model.on_summary(make_summary("ETH-USD-PERP", "11"))
    model.flush()
    assert proxy.index(0, 0).data() == "BTC-USD-PERP", "the sort follows live data"
    proxy.setFilterFixedString("eth")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "ETH-USD-PERP"
    qtmodeltester.check(proxy)


def test_summary_before_instruments_is_kept() -> None:
    model = WatchlistModel()
    model.on_summary(make_summary("BTC-USD-PERP", "5"))
    model.flush()
    model.set_instruments([make_instrument("BTC-USD-PERP")])
    assert model.index(0, 1).data() == "5.0"
    assert model.symbol_at(0) == "BTC-USD-PERP"
    assert not model.index(0, 0).parent().isValid() and model.rowCount(QModelIndex()) == 1
