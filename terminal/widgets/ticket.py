"""The order ticket panel: it shows the ticket model and forwards every keystroke to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.orders import NewOrder, OrderType, Side, TimeInForce
from terminal.domain.pretrade import SizeUnit, needs_price
from terminal.viewmodels.ticket import INSTRUCTIONS, ORDER_TYPES, OrderTicketModel
from terminal.widgets.palette import DARK, Palette

Confirm = Callable[[QWidget, str], bool]

_TYPE_LABELS = {t: t.value.replace("_", " ").title() for t in ORDER_TYPES}
_TIF_LABELS = {tif: tif.value.replace("_", " ") for tif in INSTRUCTIONS}


def ask_confirmation(parent: QWidget, text: str) -> bool:
    """A modal yes/no question (the default fat-finger confirmation)."""
    answer = QMessageBox.question(
        parent,
        "Confirm order",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class _WheelSteps(QObject):
    """Turns the mouse wheel over a price field into tick steps."""

    def __init__(self, model: OrderTicketModel, parent: QObject) -> None:
        super().__init__(parent)
        self._model = model

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Consume wheel events: one notch, one tick."""
        if event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            notches = event.angleDelta().y() // 120
            if notches:
                self._model.step_price(notches)
            return True
        return False


class OrderTicketWidget(QWidget):
    """Side, type, time in force, size, price, trigger, preview, and the submit button."""

    def __init__(
        self,
        model: OrderTicketModel,
        parent: QWidget | None = None,
        *,
        confirm: Confirm = ask_confirmation,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orderTicket")
        self.model = model
        self.confirm = confirm
        self._palette = DARK
        self._build()
        self._wheel = _WheelSteps(model, self)
        self.price_field.installEventFilter(self._wheel)
        self.trigger_field.installEventFilter(self._wheel)
        model.changed.connect(self._refresh)
        model.confirm_needed.connect(self._on_confirm_needed)
        self._refresh()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(5)
        self.market = QLabel("—")
        self.market.setObjectName("ticketMarket")
        outer.addWidget(self.market)
        outer.addLayout(self._side_row())
        outer.addLayout(self._type_row())
        outer.addLayout(self._fields())
        self.presets = QHBoxLayout()
        self.presets.setSpacing(3)
        self._preset_buttons: list[QPushButton] = []
        outer.addLayout(self.presets)
        self.error = QLabel("")
        self.error.setObjectName("ticketError")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        outer.addLayout(self._preview())
        self.submit = QPushButton("Buy")
        self.submit.setObjectName("ticketSubmit")
        self.submit.setMinimumHeight(30)
        self.submit.clicked.connect(self.model.submit)
        outer.addWidget(self.submit)
        self.latency = QLabel("")
        self.latency.setObjectName("latencyReadout")
        self.latency.setWordWrap(True)
        outer.addWidget(self.latency)
        outer.addStretch(1)

    def _side_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buy = QPushButton("Buy")
        self.sell = QPushButton("Sell")
        self._sides = QButtonGroup(self)
        for side, button in ((Side.BUY, self.buy), (Side.SELL, self.sell)):
            button.setCheckable(True)
            button.setObjectName(f"ticket{side.value.title()}")
            self._sides.addButton(button)
            button.clicked.connect(lambda _=False, s=side: self.model.set_side(s))
            row.addWidget(button)
        self.buy.setChecked(True)
        return row

    def _type_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.order_type = QComboBox()
        self.order_type.setObjectName("ticketType")
        for order_type in ORDER_TYPES:
            self.order_type.addItem(_TYPE_LABELS[order_type], order_type)
        self.order_type.currentIndexChanged.connect(
            lambda i: self.model.set_type(OrderType(self.order_type.itemData(i)))
        )
        self.tif = QComboBox()
        self.tif.setObjectName("ticketTif")
        for instruction in INSTRUCTIONS:
            self.tif.addItem(_TIF_LABELS[instruction], instruction)
        self.tif.currentIndexChanged.connect(
            lambda i: self.model.set_instruction(TimeInForce(self.tif.itemData(i)))
        )
        self.reduce_only = QCheckBox("R/O")
        self.reduce_only.setToolTip("Reduce only: the order may only shrink the position")
        self.reduce_only.setObjectName("ticketReduceOnly")
        self.reduce_only.toggled.connect(self.model.set_reduce_only)
        row.addWidget(self.order_type, 3)
        row.addWidget(self.tif, 2)
        row.addWidget(self.reduce_only, 0)
        return row

    def _fields(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        self.size_field = self._line("ticketSize", self.model.set_size_text)
        self.size_unit = QComboBox()
        self.size_unit.setObjectName("ticketSizeUnit")
        self.size_unit.currentIndexChanged.connect(
            lambda i: self.model.set_size_unit(SizeUnit(self.size_unit.itemData(i)))
        )
        self.price_field = self._line("ticketPrice", self.model.set_price_text)
        self.price_up = self._tick_button("▲", +1, "ticketPriceUp")
        self.price_down = self._tick_button("▼", -1, "ticketPriceDown")
        self.touch = QPushButton("Touch")
        self.touch.setToolTip("Put the price on the best bid (buy) or ask (sell) and follow it")
        self.touch.clicked.connect(self.model.follow_touch)
        self.trigger_field = self._line("ticketTrigger", self.model.set_trigger_text)
        self.price_label, self.trigger_label = QLabel("Price"), QLabel("Trigger")
        grid.addWidget(QLabel("Size"), 0, 0)
        grid.addWidget(self.size_field, 0, 1, 1, 3)
        grid.addWidget(self.size_unit, 0, 4)
        grid.addWidget(self.price_label, 1, 0)
        grid.addWidget(self.price_field, 1, 1)
        grid.addWidget(self.price_up, 1, 2)
        grid.addWidget(self.price_down, 1, 3)
        grid.addWidget(self.touch, 1, 4)
        grid.addWidget(self.trigger_label, 2, 0)
        grid.addWidget(self.trigger_field, 2, 1, 1, 4)
        grid.setColumnStretch(1, 1)
        return grid

    def _preview(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setVerticalSpacing(1)
        self._preview_values: list[QLabel] = []
        for row, (label, _) in enumerate(self.model.preview_lines()):
            value = QLabel("—")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(value, row, 1)
            self._preview_values.append(value)
        return grid

    def _line(self, name: str, on_edit: Callable[[str], None]) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setAlignment(Qt.AlignmentFlag.AlignRight)
        line.textEdited.connect(on_edit)
        line.returnPressed.connect(self.model.submit)
        return line

    def _tick_button(self, text: str, ticks: int, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFixedWidth(26)
        button.setAutoRepeat(True)
        button.clicked.connect(lambda: self.model.step_price(ticks))
        return button

    # -- showing the model --------------------------------------------------------------

    def set_palette(self, palette: Palette) -> None:
        """Draw with these colours from now on."""
        self._palette = palette
        self._refresh()

    def set_latency_text(self, text: str) -> None:
        """The order latency readout (sign time and round trip)."""
        self.latency.setText(text)

    def _refresh(self) -> None:
        model, ticket = self.model, self.model.input
        inst = model.instrument
        self.market.setText(inst.symbol if inst else "—")
        self._sync_units(inst.base_currency if inst else "", inst.quote_currency if inst else "")
        self._set_text(self.size_field, ticket.size_text)
        self._set_text(self.price_field, ticket.price_text)
        self._set_text(self.trigger_field, ticket.trigger_text)
        limit = needs_price(ticket.type)
        for widget in (
            self.price_field,
            self.price_up,
            self.price_down,
            self.touch,
            self.price_label,
        ):
            widget.setEnabled(limit)
        conditional = ticket.type.is_conditional
        self.trigger_field.setVisible(conditional)
        self.trigger_label.setVisible(conditional)
        (self.buy if ticket.side is Side.BUY else self.sell).setChecked(True)
        self._sync_presets()
        check = model.check
        self.error.setText("\n".join(check.errors.values()))
        self.error.setStyleSheet(f"color: {self._palette.ask};")
        for label, (_, value) in zip(self._preview_values, model.preview_lines(), strict=True):
            label.setText(value)
        self._style_submit(ticket.side, check.order)

    def _style_submit(self, side: Side, order: NewOrder | None) -> None:
        colour = self._palette.bid if side is Side.BUY else self._palette.ask
        word = "Buy" if side is Side.BUY else "Sell"
        inst = self.model.instrument
        self.submit.setText(f"{word} {order.size} {inst.base_currency}" if order and inst else word)
        self.submit.setEnabled(order is not None)
        self.submit.setStyleSheet(
            f"QPushButton {{ background: {colour}; color: white; font-weight: bold; }}"
            "QPushButton:disabled { background: palette(mid); color: palette(dark); }"
        )
        for button, sided in ((self.buy, Side.BUY), (self.sell, Side.SELL)):
            tone = self._palette.bid if sided is Side.BUY else self._palette.ask
            button.setStyleSheet(
                f"QPushButton:checked {{ background: {tone}; color: white; font-weight: bold; }}"
            )

    def _sync_units(self, base: str, quote: str) -> None:
        wanted = [(base or "base", SizeUnit.BASE), (quote or "USD", SizeUnit.USD)]
        current = [
            (self.size_unit.itemText(i), self.size_unit.itemData(i))
            for i in range(self.size_unit.count())
        ]
        if current != wanted:
            self.size_unit.blockSignals(True)
            self.size_unit.clear()
            for text, unit in wanted:
                self.size_unit.addItem(text, unit)
            self.size_unit.blockSignals(False)
        index = self.size_unit.findData(self.model.input.size_unit)
        if index >= 0 and index != self.size_unit.currentIndex():
            self.size_unit.setCurrentIndex(index)

    def _sync_presets(self) -> None:
        sizes = self.model.preset_sizes()
        if [b.text() for b in self._preset_buttons] == sizes:
            return
        for button in self._preset_buttons:
            button.deleteLater()
        self._preset_buttons = []
        for size in sizes:
            button = QPushButton(size)
            button.setObjectName("sizePreset")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, s=size: self._use_preset(s))
            self.presets.addWidget(button)
            self._preset_buttons.append(button)

    def _use_preset(self, size: str) -> None:
        self.model.set_size_unit(SizeUnit.BASE)
        self.model.set_size_text(size)

    @staticmethod
    def _set_text(line: QLineEdit, text: str) -> None:
        # Never rewrite a field under the trader's cursor with the same text.
        if line.text() != text and not (line.hasFocus() and line.isModified()):
            line.setText(text)

    def _on_confirm_needed(self, text: str, order: NewOrder) -> None:
        if self.confirm(self, text):
            self.model.confirmed(order)
