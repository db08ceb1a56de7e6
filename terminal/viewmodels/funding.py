"""Funding payments, read over REST on demand: what each position paid or earned."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from terminal.domain.account import FundingPayment
from terminal.viewmodels.blotter import (
    BlotterModel,
    figure_column,
    sign_tone,
    small_usd,
    text_column,
    time_column,
)
from terminal.viewmodels.columns import Column
from terminal.viewmodels.formatting import decimals_of, format_decimal
from terminal.viewmodels.throttle import FRAME_MS

FUNDING_COLUMNS: tuple[Column[FundingPayment], ...] = (
    time_column("Time", lambda p: p.created_at),
    text_column("Market", lambda p: p.market),
    figure_column(
        "Payment",
        lambda p: p.payment,
        lambda _p, value: small_usd(value),
        lambda p: sign_tone(p.payment),
    ),
    figure_column("Index", lambda p: p.index, lambda _p, v: format_decimal(v, decimals_of(v))),
)


class FundingPaymentsModel(BlotterModel[FundingPayment]):
    """Funding payments, newest first: time, market, payment (+ received, − paid), index.

    Fed with `set_rows(payments)` by whoever fetches `GET /funding/payments`.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = FRAME_MS,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(
            FUNDING_COLUMNS, lambda p: p.id, parent, interval_ms=interval_ms, timer=timer
        )
