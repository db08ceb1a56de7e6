"""Screenshots of the blotters and account panels with realistic data, dark and light.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_blotters.py [OUT_DIR]

Each panel is built as the app would (the app's theme applied), filled, sized like its
dock on a 1280×800 desk, and saved as OUT_DIR/<objectName>-<theme>.png (default /tmp/blotters).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from terminal.app.theme import apply_theme
from terminal.domain.account import AccountSummary, Fill, FundingPayment, Position
from terminal.domain.instruments import Instrument
from terminal.domain.orders import Order, OrderStatus, OrderType, Side, TimeInForce
from terminal.viewmodels.account_summary import AccountSummaryViewModel
from terminal.viewmodels.fills import FillsModel
from terminal.viewmodels.funding import FundingPaymentsModel
from terminal.viewmodels.notifications import NotificationsModel
from terminal.viewmodels.order_history import OrderHistoryModel
from terminal.viewmodels.orders import OpenOrdersModel
from terminal.viewmodels.positions import PositionsModel
from terminal.widgets.account_summary import AccountSummaryPanel
from terminal.widgets.blotter import fills_table, funding_table, order_history_table
from terminal.widgets.notifications import NotificationsLog
from terminal.widgets.orders import OpenOrdersTable
from terminal.widgets.palette import PALETTES
from terminal.widgets.positions import PositionsTable

NOW = 1_764_528_000_000
D = Decimal
MARKETS = {  # symbol: (tick, step, mark)
    "BTC-USD-PERP": ("0.1", "0.001", "91234.5"),
    "ETH-USD-PERP": ("0.01", "0.001", "3012.37"),
    "SOL-USD-PERP": ("0.001", "0.01", "141.234"),
    "kBONK-USD-PERP": ("0.000001", "1", "0.012345"),
}


class Account:
    """The account as AccountDataService holds it, with realistic contents."""

    def __init__(self) -> None:
        self.summary: AccountSummary | None = AccountSummary(
            "0xabc",
            D("25340.12"),
            D("25000"),
            D("9120.55"),
            D("16219.57"),
            D("13123.4"),
            D("12216.72"),
            "ACTIVE",
            NOW,
        )
        self.positions = {
            p.market: p
            for p in (
                Position(
                    "BTC-USD-PERP",
                    D("0.45"),
                    D("89950.2"),
                    D("577.96"),
                    D("-12.4"),
                    D("61234.8"),
                    D("4.2"),
                    "OPEN",
                    NOW - 5000,
                ),
                Position(
                    "ETH-USD-PERP",
                    D("-12.5"),
                    D("3050.1"),
                    D("471.6"),
                    D("88.12"),
                    D("3988.7"),
                    D("3.1"),
                    "OPEN",
                    NOW - 5000,
                ),
                Position(
                    "kBONK-USD-PERP",
                    D("1250000"),
                    D("0.012901"),
                    D("-695.0"),
                    D("0"),
                    None,
                    D("1.5"),
                    "OPEN",
                    NOW - 5000,
                ),
            )
        }
        self.open_orders = {o.id: o for o in _orders()}
        self.fills = _fills()
        self.live = True

    def add_listener(self, _callback: Callable[[str], None]) -> None:
        """Static data: nothing changes."""


def _order(
    n: int,
    market: str,
    side: Side,
    type: OrderType,
    price: str | None,
    size: str,
    remaining: str,
    status: OrderStatus = OrderStatus.OPEN,
    trigger: str | None = None,
    reason: str = "",
    reduce_only: bool = False,
    age_s: int = 60,
) -> Order:
    return Order(
        f"17645280000000{n:04d}",
        f"tkt-{n:04d}",
        market,
        side,
        type,
        TimeInForce.GTC,
        D(size),
        D(remaining),
        None if price is None else D(price),
        None if trigger is None else D(trigger),
        None,
        status,
        reason,
        reduce_only,
        NOW - age_s * 1000,
        NOW - age_s * 1000,
        n,
    )


def _orders() -> list[Order]:
    return [
        _order(1, "BTC-USD-PERP", Side.BUY, OrderType.LIMIT, "90100", "0.25", "0.25", age_s=12),
        _order(
            2,
            "BTC-USD-PERP",
            Side.SELL,
            OrderType.LIMIT,
            "92500.5",
            "0.45",
            "0.2",
            reduce_only=True,
            age_s=340,
        ),
        _order(
            3,
            "ETH-USD-PERP",
            Side.BUY,
            OrderType.STOP_MARKET,
            None,
            "12.5",
            "12.5",
            OrderStatus.UNTRIGGERED,
            trigger="3120",
            reduce_only=True,
            age_s=4000,
        ),
        _order(
            4,
            "SOL-USD-PERP",
            Side.BUY,
            OrderType.STOP_LIMIT,
            "139.5",
            "150",
            "150",
            OrderStatus.UNTRIGGERED,
            trigger="139.9",
            age_s=90_000,
        ),
        _order(
            5,
            "kBONK-USD-PERP",
            Side.SELL,
            OrderType.TAKE_PROFIT_LIMIT,
            "0.0135",
            "1250000",
            "1250000",
            OrderStatus.UNTRIGGERED,
            trigger="0.01349",
            age_s=600,
        ),
    ]


def _fills() -> list[Fill]:
    rows = []
    for n in range(40):
        market = list(MARKETS)[n % 4]
        tick, step, mark = MARKETS[market]
        price = D(mark) - D(tick) * (n * 7 % 23)
        size = D(step) * (n * 37 % 500 + 1)
        maker = n % 3 != 0
        fee = (price * size * (D("-0.00005") if maker else D("0.0003"))).normalize()
        rows.append(
            Fill(
                f"f{n}",
                f"o{n}",
                f"tkt-{n}",
                market,
                Side.BUY if n % 2 else Side.SELL,
                price,
                size,
                fee,
                "MAKER" if maker else "TAKER",
                D(0),
                NOW - n * 47_000,
                "LIQUIDATION" if n == 7 else "FILL",
                ("interactive",) if n % 5 == 0 else (),
            )
        )
    return rows


def _history() -> list[Order]:
    return [
        _order(
            9,
            "BTC-USD-PERP",
            Side.BUY,
            OrderType.LIMIT,
            "90000",
            "0.5",
            "0",
            OrderStatus.CLOSED,
            age_s=30,
        ),
        _order(
            8,
            "ETH-USD-PERP",
            Side.SELL,
            OrderType.LIMIT,
            "3001.5",
            "2",
            "2",
            OrderStatus.CLOSED,
            reason="POST_ONLY_WOULD_CROSS",
            age_s=70,
        ),
        _order(
            7,
            "SOL-USD-PERP",
            Side.BUY,
            OrderType.MARKET,
            None,
            "400",
            "150",
            OrderStatus.CLOSED,
            reason="REMAINING_IOC_CANCEL",
            age_s=200,
        ),
        _order(
            6,
            "BTC-USD-PERP",
            Side.BUY,
            OrderType.LIMIT,
            "91000",
            "25",
            "25",
            OrderStatus.CLOSED,
            reason="NOT_ENOUGH_MARGIN",
            age_s=800,
        ),
        _order(
            5,
            "kBONK-USD-PERP",
            Side.SELL,
            OrderType.LIMIT,
            "0.0131",
            "500000",
            "500000",
            OrderStatus.CLOSED,
            reason="USER_CANCELED",
            age_s=5000,
        ),
        *_orders(),
    ]


def _funding() -> list[FundingPayment]:
    return [
        FundingPayment(
            f"fp{n}",
            list(MARKETS)[n % 3],
            D("-0.4182931") * (n % 4 - 1),
            D("1234.56789") + n,
            NOW - n * 3_600_000,
        )
        for n in range(12)
    ]


def _notifications(model: NotificationsModel) -> None:
    """The closed orders of the history, each from NEW through its states to its end."""
    for order in reversed(_history()[:5]):
        unfilled = order.size
        model.on_order_event(
            replace(order, status=OrderStatus.NEW, remaining_size=unfilled, seq_no=0)
        )
        if order.cancel_reason not in ("NOT_ENOUGH_MARGIN", "POST_ONLY_WOULD_CROSS"):
            model.on_order_event(
                replace(order, status=OrderStatus.OPEN, remaining_size=unfilled, seq_no=1)
            )
        model.on_order_event(replace(order, seq_no=2))
    model.notify("warning", "cancel-all: 3 still open (retrying)", "BTC-USD-PERP")
    model.notify("error", "Order refused by the venue: INVALID_ORDER_SIZE — size below 0.001")


def build(theme: str, *, live: bool = True) -> list[tuple[QWidget, tuple[int, int]]]:
    """Every panel filled, with the size of its dock (`live=False`: the account resyncing)."""
    account = Account()
    account.live = live
    instruments = [_instrument(s) for s in MARKETS]
    orders = OpenOrdersModel(account, clock=lambda: NOW, age_timer=QTimer())
    positions = PositionsModel(account)
    for market, (_tick, _step, mark) in MARKETS.items():
        positions.set_mark(market, D(mark), NOW)
    fills = FillsModel(account)
    funding = FundingPaymentsModel()
    funding.set_rows(_funding())
    history = OrderHistoryModel()
    history.set_rows(_history())
    notices = NotificationsModel(clock=lambda: NOW)
    _notifications(notices)
    for model in (orders, positions, fills, funding, history):
        model.set_instruments(instruments)
    for table in (orders, positions, fills, funding, history, notices):
        table.flush()
    summary = AccountSummaryViewModel(account, positions)
    blotter = (1280, 220)
    panels: list[tuple[QWidget, tuple[int, int]]] = [
        (OpenOrdersTable(orders), blotter),
        (PositionsTable(positions), blotter),
        (fills_table(fills), blotter),
        (funding_table(funding), (640, 220)),
        (order_history_table(history), blotter),
        (NotificationsLog(notices), (640, 220)),
        (AccountSummaryPanel(summary), (320, 220)),
        (AccountSummaryPanel(summary), (1280, 90)),
    ]
    for widget, _size in panels:
        widget.set_palette(PALETTES[theme])  # type: ignore[attr-defined]
    return panels


def _instrument(symbol: str) -> Instrument:
    tick, step, _mark = MARKETS[symbol]
    return Instrument(
        symbol,
        symbol.split("-")[0],
        "USD",
        "USDC",
        D(tick),
        D(step),
        D(10),
        D(1000000000),
        D(1000000000),
        100,
        D("0.05"),
        D("0.05"),
        8,
    )


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/blotters")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    for theme, live in ((theme, live) for theme in PALETTES for live in (True, False)):
        apply_theme(app, theme)
        for widget, (width, height) in build(theme, live=live):
            widget.resize(width, height)
            widget.show()
            state = "" if live else "-stale"
            name = f"{widget.objectName()}-{width}-{theme}{state}.png"
            widget.grab().save(str(out / name))
            widget.close()
            print(out / name)


if __name__ == "__main__":
    main()
