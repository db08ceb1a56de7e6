"""Size presets above the ladder: the ticket's size, one click to change it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from terminal.domain.pretrade import SizeUnit
from terminal.viewmodels.ticket import OrderTicketModel


class SizeBar(QWidget):
    """Preset sizes (multiples of the market's smallest order) and the size a click trades."""

    def __init__(self, model: OrderTicketModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ladderSizeBar")
        self._model = model
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 0, 4, 2)
        self._layout.setSpacing(3)
        self.current = QLabel("")
        self.current.setObjectName("ladderClickSize")
        self._layout.addWidget(self.current)
        self._buttons: list[QPushButton] = []
        model.changed.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        inst = self._model.instrument
        ticket = self._model.input
        unit = inst.base_currency if inst and ticket.size_unit is SizeUnit.BASE else "USD"
        self.current.setText(f"{ticket.size_text or '—'} {unit}")
        self.current.setToolTip("The size a click on the ladder trades (the ticket's size)")
        sizes = self._model.preset_sizes()
        if [b.text() for b in self._buttons] == sizes:
            return
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        for size in sizes:
            button = QPushButton(size, self)
            button.setObjectName("ladderSizePreset")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, s=size: self._choose(s))
            self._layout.addWidget(button)
            self._buttons.append(button)

    def _choose(self, size: str) -> None:
        self._model.set_size_unit(SizeUnit.BASE)
        self._model.set_size_text(size)
