"""The trading feature wired into the window: ticket, toolbar, hotkeys, account data.

It owns the account's live data (`AccountDataService`) and the `TradingService`, and
connects the panels to them: the ticket follows the selected market's BBO and mark, the
account's position and free collateral; its orders go to the trading service; the
toolbar's cancel-all runs at once and shows its proof; the hotkeys act whichever panel
has focus. Every trading event also reaches `event_listeners` (the notifications log).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from terminal.app.desk import Desk
from terminal.app.hotkey_list import HOTKEYS
from terminal.app.hotkeys import HotkeySet
from terminal.app.report import RunReport
from terminal.app.settings import AppSettings
from terminal.app.window import MainWindow
from terminal.domain.marketdata import Bbo, MarketSummary
from terminal.domain.orders import NewOrder, OrderType, Side
from terminal.services.account_data import AccountDataService
from terminal.services.connection import VenueConnection
from terminal.services.market_data import MarketDataService
from terminal.services.subscriptions import Lease
from terminal.services.supervisor import Group, Supervisor
from terminal.services.trading import TradingService
from terminal.services.trading_events import EventKind, TradingEvent
from terminal.viewmodels.chart_orders import ChartOrdersModel
from terminal.viewmodels.ladder_orders import LadderOrders
from terminal.viewmodels.ticket import OrderTicketModel
from terminal.widgets.palette import Palette
from terminal.widgets.size_bar import SizeBar
from terminal.widgets.ticket import OrderTicketWidget
from terminal.widgets.trading_toolbar import TradingToolbar

if TYPE_CHECKING:
    from terminal.widgets.chart_orders import ChartTradingLines

log = logging.getLogger(__name__)

FAT_FINGER_DEFAULT = Decimal(250_000)
"""Orders worth more than this (quote currency) ask for one confirmation, unless set."""


class TradingBinding:
    """Connects the trading panels to the account and the venue's trading half."""

    def __init__(
        self,
        window: MainWindow,
        connection: VenueConnection,
        market_data: MarketDataService,
        desk: Desk,
        supervisor: Supervisor,
        settings: AppSettings,
        report: RunReport,
    ) -> None:
        assert connection.trading is not None, "trading needs an account"
        self.window = window
        self.instruments = connection.instruments
        self.market_data = market_data
        self.desk = desk
        self.selection = selection = desk.selection
        self.supervisor = supervisor
        self.settings = settings
        self.report = report
        self.account = AccountDataService(connection, supervisor)
        self.trading = TradingService(
            connection.trading, self.account, connection.instruments, supervisor
        )
        self.event_listeners: list[Callable[[TradingEvent], None]] = []
        self._marks: dict[str, Decimal] = {}
        self._leases: list[Lease] = []

        self.ticket = OrderTicketModel(remembered_size=self._remembered_size)
        self.ticket_widget = OrderTicketWidget(self.ticket)
        window.install_panel("ticket", self.ticket_widget)
        self.ticket.order_ready.connect(self.trading.submit)
        self.ticket.size_used.connect(self._remember_size)
        self.ticket.set_fat_finger(self._fat_finger())

        self.ladder_orders = LadderOrders()
        canvas = desk.ladder_widget.canvas
        canvas.set_own_orders(self.ladder_orders)
        canvas.price_clicked.connect(self._on_ladder_click)
        canvas.stop_clicked.connect(self._on_ladder_stop)
        canvas.order_clicked.connect(self.trading.cancel)
        canvas.order_dragged.connect(self._on_order_dragged)
        self.size_bar = SizeBar(self.ticket)
        desk.ladder_widget.add_bar(self.size_bar)
        self.chart_orders = ChartOrdersModel()
        self.chart_orders.modify_requested.connect(
            lambda order_id, price: self.trading.modify(order_id, price=price)
        )
        self.chart_orders.cancel_requested.connect(self.trading.cancel)
        self.chart_lines = self._attach_chart()

        self.toolbar = TradingToolbar(window)
        window.addToolBar(self.toolbar)
        self.toolbar.cancel_all_clicked.connect(self.cancel_all)
        self.toolbar.cancel_market_clicked.connect(self.cancel_market)
        self.toolbar.flatten_clicked.connect(self.flatten_all)
        self.toolbar.reconcile_clicked.connect(self.trading.reconcile)
        self._unknown: list[str] = []

        self.hotkeys = HotkeySet(window, self._bindings())
        self.hotkeys.bind("buy_bid", lambda: self.hit_touch(Side.BUY))
        self.hotkeys.bind("sell_ask", lambda: self.hit_touch(Side.SELL))
        self.hotkeys.bind("cancel_all", self.cancel_all)
        self.hotkeys.bind("flatten_all", self.flatten_all)
        self.toolbar.set_shortcut_hints(
            self.hotkeys.binding("cancel_all"), self.hotkeys.binding("flatten_all")
        )

        self.trading.add_listener(self._on_event)
        self.account.add_listener(self._on_account)
        self._summaries = market_data.watch_summaries(self._on_summary)
        selection.changed.connect(self._retarget)
        if selection.symbol:
            self._retarget(selection.symbol)

    async def start(self) -> None:
        """Subscribe the account's private streams and load its state."""
        await self.account.start()

    # -- actions ------------------------------------------------------------------------

    def cancel_all(self) -> None:
        """Cancel every order in every market, at once."""
        self.trading.cancel_all()

    def cancel_market(self) -> None:
        """Cancel every order in the selected market, at once."""
        if self.selection.symbol:
            self.trading.cancel_all(self.selection.symbol)

    def flatten_all(self) -> None:
        """After one confirmation: cancel all, then close every position at market."""
        answer = QMessageBox.question(
            self.window,
            "Flatten all",
            "Cancel every order and close every position at market?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.trading.flatten_all()

    def hit_touch(self, side: Side) -> None:
        """A limit order of the ticket's size at the best bid (buy) or best ask (sell)."""
        ctx = self.ticket.context
        price = None if ctx is None else ctx.best_bid if side is Side.BUY else ctx.best_ask
        if price is None:
            self._publish_status("no price to trade at yet", "warning")
            return
        self.place_at(side, price, OrderType.LIMIT)

    def place_at(self, side: Side, price: Decimal, order_type: OrderType) -> None:
        """The ticket's size at `price` (ladder clicks and hotkeys); checked like the ticket."""
        order = self.ticket.order_at(side, price, order_type)
        if order is None:
            errors = "; ".join(self.ticket.check.errors.values())
            self._publish_status(f"not sent: {errors}", "error")
            return
        self.trading.submit(order)

    def _on_ladder_click(self, price: Decimal, side: str) -> None:
        if side:
            self.place_at(Side(side), price, OrderType.LIMIT)
        else:
            self.ticket.set_price_text(str(price))

    def _on_ladder_stop(self, price: Decimal, side: str) -> None:
        if side:
            self.place_at(Side(side), price, OrderType.STOP_MARKET)

    def _on_order_dragged(self, order_id: str, price: Decimal) -> None:
        order = self.ladder_orders.order(order_id)
        if order is None:
            return
        if order.price is None:
            self._publish_status("drag moves limit prices; cancel and re-place a stop", "info")
            return
        self.trading.modify(order_id, price=price)

    def _attach_chart(self) -> ChartTradingLines | None:
        chart = self.desk.chart_widget
        if chart is None:
            return None
        from terminal.widgets.chart_orders import ChartTradingLines

        return ChartTradingLines(chart.price_plot, self.chart_orders)

    def send(self, order: NewOrder) -> None:
        """Send an order built elsewhere (blotter actions)."""
        self.trading.submit(order)

    def set_palette(self, palette: Palette) -> None:
        """Draw the trading panels with these colours."""
        self.ticket_widget.set_palette(palette)
        self.toolbar.set_palette(palette)
        if self.chart_lines is not None:
            self.chart_lines.set_palette(palette)

    def close(self) -> None:
        """Stop following the account and the market."""
        self.selection.changed.disconnect(self._retarget)
        self._release()
        self._summaries.release()
        self.account.close()
        self.report.extra["orders"] = self.trading.latency.summary().as_report()

    # -- feeds --------------------------------------------------------------------------

    def _retarget(self, market: str) -> None:
        self._release()
        instrument = self.instruments.get(market)
        if instrument is None:
            return
        self.ticket.set_instrument(instrument)
        self.ladder_orders.set_market(market, instrument.step_size)
        self.chart_orders.set_instrument(instrument)
        self._on_account("orders")
        self.ticket.set_mark(self._marks.get(market))
        self._on_account("positions")
        self._leases = [self.market_data.watch_bbo(market, self._on_bbo)]

    def _release(self) -> None:
        for lease in self._leases:
            lease.release()
        self._leases = []

    def _on_bbo(self, bbo: Bbo) -> None:
        if bbo.market == self.selection.symbol:
            self.ticket.set_quotes(bbo.bid, bbo.ask)

    def _on_summary(self, summary: MarketSummary) -> None:
        if summary.mark_price is None:
            return
        self._marks[summary.market] = summary.mark_price
        if summary.market == self.selection.symbol:
            self.ticket.set_mark(summary.mark_price)

    def _on_account(self, kind: str) -> None:
        if kind == "orders":
            self.ladder_orders.set_orders(self.account.open_orders.values())
            self.chart_orders.set_orders(self.account.open_orders.values())
            return
        if kind not in ("positions", "summary", "live"):
            return
        position = self.account.positions.get(self.selection.symbol)
        self.chart_orders.set_position(position)
        summary = self.account.summary
        self.ticket.set_account(
            position.size if position else Decimal(0),
            summary.free_collateral if summary else None,
        )

    def _on_event(self, event: TradingEvent) -> None:
        self._track_unknown(event)
        if event.kind is EventKind.CANCEL_ALL:
            self.toolbar.set_status(event.text, event.level.value)
        elif event.kind is EventKind.ACCEPTED:
            summary = self.trading.latency.summary()
            self.ticket_widget.set_latency_text(
                f"sign {summary.last_sign:.1f} ms · round trip {summary.last_rtt:.0f} ms "
                f"(p99 {summary.rtt_p99:.0f} ms)"
            )
        for callback in list(self.event_listeners):
            try:
                callback(event)
            except Exception:
                log.exception("trading event listener failed")

    def _track_unknown(self, event: TradingEvent) -> None:
        """Orders whose outcome is unknown stay offered for reconciliation until the venue
        says what became of them (found, or never placed)."""
        client_id = event.client_id
        if client_id is None:
            return
        known = client_id in self._unknown
        if event.kind is EventKind.UNKNOWN and event.level.value == "error" and not known:
            self._unknown.append(client_id)
        elif known and (event.kind is not EventKind.UNKNOWN or event.level.value != "error"):
            self._unknown.remove(client_id)
        else:
            return
        self.toolbar.set_unknown(self._unknown)

    def _publish_status(self, text: str, level: str) -> None:
        self.window.status.showMessage(text, 6000)
        log.info("%s", text)

    # -- settings -----------------------------------------------------------------------

    def _sizes(self) -> dict[str, str]:
        try:
            sizes = json.loads(self.settings.get("ticket/sizes"))
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in sizes.items()} if isinstance(sizes, dict) else {}

    def _remembered_size(self, market: str) -> str | None:
        return self._sizes().get(market)

    def _remember_size(self, market: str, size: str) -> None:
        sizes = self._sizes()
        sizes[market] = size
        self.settings.set("ticket/sizes", json.dumps(sizes))

    def _fat_finger(self) -> Decimal | None:
        text = str(self.settings.get("trading/fat_finger_notional")).strip()
        if not text:
            return None
        try:
            return Decimal(text)
        except ArithmeticError:
            return FAT_FINGER_DEFAULT

    def _bindings(self) -> dict[str, str]:
        return {h.key: str(self.settings.get(f"hotkeys/{h.key}") or "") for h in HOTKEYS}


def spawn_start(binding: TradingBinding, supervisor: Supervisor) -> None:
    """Start the account feed in the background (the panels show data as it arrives)."""
    supervisor.spawn(binding.start(), name="account data start", group=Group.SERVICES)
