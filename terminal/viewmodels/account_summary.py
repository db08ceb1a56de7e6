"""The account summary: the margin figures a trader watches, and how thin the margin is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from terminal.domain.account import AccountSummary
from terminal.viewmodels.account_source import AccountFeed
from terminal.viewmodels.blotter import MISSING, sign_tone, usd
from terminal.viewmodels.formatting import format_decimal
from terminal.viewmodels.positions import PositionsModel

MAINTENANCE_WARNING = Decimal("0.5")
"""Maintenance margin at half the account value: the margin is thinning."""
MAINTENANCE_DANGER = Decimal("0.8")
"""At 80 % a modest move liquidates (at 100 % the venue does)."""
RESYNCING = "Resyncing…"
"""The status while the account is re-read after a disconnect."""
ACTIVE = "ACTIVE"
"""The account status when it is neither deleveraged nor in liquidation."""


class MarginLevel(StrEnum):
    """How close the account is to liquidation."""

    OK = "ok"
    WARNING = "warning"
    DANGER = "danger"


LEVEL_TONES = {MarginLevel.OK: None, MarginLevel.WARNING: "warn", MarginLevel.DANGER: "down"}


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of the panel: caption, text, tone ("up", "down", "warn", "stale" or None)."""

    caption: str
    text: str
    tone: str | None = None


def maintenance_ratio(summary: AccountSummary) -> Decimal | None:
    """Maintenance margin over account value; None when the account has no value."""
    if summary.account_value <= 0:
        return None
    return summary.maintenance_margin / summary.account_value


def margin_level(summary: AccountSummary) -> MarginLevel:
    """OK, WARNING from `MAINTENANCE_WARNING`, DANGER from `MAINTENANCE_DANGER`, or when the
    account is not active or has margin but no value left."""
    ratio = maintenance_ratio(summary)
    if summary.status not in (ACTIVE, ""):
        return MarginLevel.DANGER
    if ratio is None:
        return MarginLevel.DANGER if summary.maintenance_margin > 0 else MarginLevel.OK
    if ratio >= MAINTENANCE_DANGER:
        return MarginLevel.DANGER
    return MarginLevel.WARNING if ratio >= MAINTENANCE_WARNING else MarginLevel.OK


class AccountSummaryViewModel(QObject):
    """Account value, free collateral, margin used, maintenance ratio, unrealised PnL (the
    positions table's, at the latest marks) and status; `changed` after each update."""

    changed = Signal()

    def __init__(
        self, account: AccountFeed, positions: PositionsModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._account = account
        self._unrealized = positions.unrealized_total()
        account.add_listener(self._on_account)
        positions.unrealized_changed.connect(self._on_unrealized)

    @property
    def level(self) -> MarginLevel:
        """How thin the margin is (OK until the first summary)."""
        summary = self._account.summary
        return MarginLevel.OK if summary is None else margin_level(summary)

    def figures(self) -> list[Figure]:
        """The panel's figures, in reading order; all "stale" while the account resyncs."""
        figures = self._figures()
        if self._account.live:
            return figures
        # Stale figures are never shown as live: dimmed, and the status says why.
        *known, _status = figures
        return [*(replace(f, tone="stale") for f in known), Figure("Status", RESYNCING, "warn")]

    def _figures(self) -> list[Figure]:
        summary = self._account.summary
        pnl = Figure("Unrealised PnL", usd(self._unrealized), sign_tone(self._unrealized))
        if summary is None:
            captions = ("Account value", "Free collateral", "Margin used", "Maintenance ratio")
            return [*(Figure(c, MISSING) for c in captions), pnl, Figure("Status", MISSING)]
        tone = LEVEL_TONES[margin_level(summary)]
        ratio = maintenance_ratio(summary)
        free = summary.free_collateral
        return [
            Figure("Account value", usd(summary.account_value)),
            Figure("Free collateral", usd(free), "down" if free < 0 else None),
            Figure("Margin used", usd(summary.initial_margin)),
            Figure(
                "Maintenance ratio",
                MISSING if ratio is None else format_decimal(ratio * 100, 1) + "%",
                tone,
            ),
            pnl,
            Figure("Status", (summary.status or ACTIVE).capitalize(), tone),
        ]

    def _on_account(self, kind: str) -> None:
        if kind in ("summary", "live"):
            self.changed.emit()

    def _on_unrealized(self, total: Decimal) -> None:
        self._unrealized = total
        self.changed.emit()
