"""The account feature wired into the window: blotters, account summary, notifications.

Open orders, positions and fills follow the live account (`AccountDataService`); funding
payments and order history are read over REST when the account turns live and then every
`HISTORY_REFRESH_MS`. The blotters' intents (cancel, edit in place, close) go to the
trading service as Decimals. The notifications log hears every order state from the
orders stream and every trading event (rejections, cancel-all proof, unknown outcomes).
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal

from PySide6.QtCore import QTimer

from terminal.app.settings import AppSettings
from terminal.app.trading_binding import TradingBinding
from terminal.app.window import MainWindow
from terminal.domain.errors import VenueError
from terminal.domain.marketdata import MarketSummary
from terminal.domain.streams import Stream, StreamKind
from terminal.services.connection import VenueConnection
from terminal.services.supervisor import Group, Supervisor
from terminal.services.trading_events import EventKind, TradingEvent
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
from terminal.widgets.palette import Palette
from terminal.widgets.positions import PositionsTable

log = logging.getLogger(__name__)

HISTORY_REFRESH_MS = 15_000
HISTORY_ROWS = 100


class AccountBinding:
    """Connects the account panels to the live account and the trading service."""

    def __init__(
        self,
        window: MainWindow,
        connection: VenueConnection,
        trading: TradingBinding,
        supervisor: Supervisor,
        settings: AppSettings,
    ) -> None:
        account, service = trading.account, trading.trading
        self._connection = connection
        self._supervisor = supervisor
        instruments = list(connection.instruments.values())

        self.orders = OpenOrdersModel(account)
        self.orders.cancel_requested.connect(service.cancel)
        self.orders.modify_requested.connect(
            lambda oid, price, size: service.modify(
                oid, price=Decimal(price) if price else None, size=Decimal(size)
            )
        )
        self.positions = PositionsModel(account)
        self.positions.close_requested.connect(
            lambda market, fraction, limit: service.close_position(
                market, Decimal(fraction), Decimal(limit) if limit else None
            )
        )
        self.fills = FillsModel(account)
        self.funding = FundingPaymentsModel()
        self.history = OrderHistoryModel()
        for model in (self.orders, self.positions, self.fills, self.funding, self.history):
            model.set_instruments(instruments)
        self.summary = AccountSummaryViewModel(account, self.positions)
        self.log = NotificationsModel(sound_on_fills=bool(settings.get("sounds/fills")))

        self.widgets = {
            "positions": PositionsTable(self.positions),
            "orders": OpenOrdersTable(self.orders),
            "fills": fills_table(self.fills),
            "funding": funding_table(self.funding),
            "history": order_history_table(self.history),
            "account": AccountSummaryPanel(self.summary),
            "notifications": NotificationsLog(self.log),
        }
        for key, widget in self.widgets.items():
            window.install_panel(key, widget)

        hub = connection.subscriptions
        self._leases = [
            hub.lease(connection.venue.channel(Stream(StreamKind.ORDERS)), self.log.on_order_event),
            hub.lease(connection.venue.channel(Stream(StreamKind.SUMMARIES)), self._on_summary),
        ]
        trading.event_listeners.append(self._on_trading_event)
        self._account = account
        account.add_listener(self._on_account)
        self._refresh = QTimer()
        self._refresh.setInterval(HISTORY_REFRESH_MS)
        self._refresh.timeout.connect(self.refresh_history)
        self._refresh.start()

    def set_palette(self, palette: Palette) -> None:
        """Draw the account panels with these colours."""
        for widget in self.widgets.values():
            widget.set_palette(palette)  # type: ignore[attr-defined]

    def refresh_history(self) -> None:
        """Re-read funding payments and order history over REST (while live)."""
        if self._account.live and not self._supervisor.closed:
            self._supervisor.spawn(
                self._read_history(), name="account history", group=Group.VIEWMODELS
            )

    def close(self) -> None:
        """Stop following the account."""
        self._refresh.stop()
        for lease in self._leases:
            lease.release()

    async def _read_history(self) -> None:
        venue = self._connection.trading
        if venue is None:
            return
        try:
            self.funding.set_rows(await venue.funding_payments(HISTORY_ROWS))
            self.history.set_rows(await venue.order_history(HISTORY_ROWS))
        except (VenueError, TimeoutError) as exc:
            log.warning("account history not read: %s", exc)

    def _on_account(self, kind: str) -> None:
        # Live again (start-up, after a reconnect): history may have moved meanwhile.
        if kind == "live" and self._account.live:
            self.refresh_history()

    def _on_summary(self, summary: MarketSummary) -> None:
        if summary.mark_price is not None:
            self.positions.set_mark(summary.market, summary.mark_price, int(time.time() * 1000))

    def _on_trading_event(self, event: TradingEvent) -> None:
        # The orders stream already logs each order's acceptance, fills and cancels.
        if event.kind in (EventKind.ACCEPTED, EventKind.SENT, EventKind.CANCEL_SENT):
            return
        self.log.notify(event.level.value, event.text, event.market)
