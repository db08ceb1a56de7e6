"""The account summary: figures, the maintenance ratio's warning levels, both palettes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.viewmodels.account_summary import (
    MAINTENANCE_DANGER,
    MAINTENANCE_WARNING,
    AccountSummaryViewModel,
    MarginLevel,
    maintenance_ratio,
    margin_level,
)
from terminal.viewmodels.positions import PositionsModel
from terminal.widgets.account_summary import AccountSummaryPanel
from terminal.widgets.palette import DARK, LIGHT

from .account_fakes import T0, FakeAccount, make_position, make_summary


def _vm(account: FakeAccount) -> tuple[AccountSummaryViewModel, PositionsModel]:
    positions = PositionsModel(account)
    return AccountSummaryViewModel(account, positions), positions


def test_figures_before_and_after_the_first_summary(qtbot) -> None:
    account = FakeAccount()
    vm, _positions = _vm(account)
    assert [f.text for f in vm.figures()] == ["–", "–", "–", "–", "0.00", "–"]
    account.summary = make_summary("10000", "7000.5", "3000", "1500")
    with qtbot.waitSignal(vm.changed):
        account.notify("summary")
    assert [(f.caption, f.text, f.tone) for f in vm.figures()] == [
        ("Account value", "10,000.00", None),
        ("Free collateral", "7,000.50", None),
        ("Margin used", "3,000.00", None),
        ("Maintenance ratio", "15.0%", None),
        ("Unrealised PnL", "0.00", None),
        ("Status", "Active", None),
    ]


def test_unrealised_pnl_follows_the_positions_marks(qtbot) -> None:
    account = FakeAccount(summary=make_summary())
    account.positions = {
        "A": make_position("A", "1", "100", "5", at_ms=T0),
        "B": make_position("B", "-2", "50", "-1.5", at_ms=T0),
    }
    vm, positions = _vm(account)
    assert vm.figures()[4].text == "3.50" and vm.figures()[4].tone == "up"
    with qtbot.waitSignal(vm.changed):
        positions.set_mark("A", Decimal("90"), T0 + 1)
        positions.flush()
    assert vm.figures()[4].text == "-11.50" and vm.figures()[4].tone == "down"


@pytest.mark.parametrize(
    ("maintenance", "status", "level", "tone"),
    [
        ("4999.99", "ACTIVE", MarginLevel.OK, None),
        ("5000", "ACTIVE", MarginLevel.WARNING, "warn"),
        ("8000", "ACTIVE", MarginLevel.DANGER, "down"),
        ("100", "LIQUIDATION", MarginLevel.DANGER, "down"),
    ],
)
def test_the_ratio_and_status_warn_as_margin_thins(
    maintenance: str, status: str, level: MarginLevel, tone: str | None
) -> None:
    account = FakeAccount(summary=make_summary("10000", maintenance=maintenance, status=status))
    vm, _positions = _vm(account)
    assert vm.level is level
    assert vm.figures()[3].tone == tone and vm.figures()[5].tone == tone
    assert MAINTENANCE_WARNING < MAINTENANCE_DANGER


def test_an_account_with_margin_but_no_value_is_in_danger() -> None:
    broke = make_summary("0", "-10", "20", "10")
    assert maintenance_ratio(broke) is None and margin_level(broke) is MarginLevel.DANGER
    assert margin_level(make_summary("0", "0", "0", "0")) is MarginLevel.OK


def _has(image, colour: int) -> bool:
    return any(
        image.pixel(x, y) == colour for y in range(image.height()) for x in range(image.width())
    )


def test_the_panel_shows_danger_in_each_palettes_red_and_reflows(qtbot) -> None:
    account = FakeAccount(summary=make_summary("10000", maintenance="9000"))
    vm, _positions = _vm(account)
    panel = AccountSummaryPanel(vm)
    qtbot.addWidget(panel)
    assert panel.objectName() == "accountSummary"
    panel.resize(1000, 120)
    panel.show()
    qtbot.waitExposed(panel)
    assert [v.text() for v in panel.values][3] == "90.0%"
    for palette in (DARK, LIGHT):
        panel.set_palette(palette)
        assert _has(panel.grab().toImage(), palette.color("ask").rgb())
    assert panel.columns == 6
    panel.resize(320, 300)
    assert panel.columns == 2
    account.summary = make_summary("10000", maintenance="100")
    account.notify("summary")
    assert panel.values[3].text() == "1.0%"
    assert not _has(panel.grab().toImage(), LIGHT.color("ask").rgb())


def test_stale_figures_are_dimmed_and_the_status_says_resyncing(qtbot) -> None:
    account = FakeAccount(summary=make_summary("10000", maintenance="9000"))
    vm, _positions = _vm(account)
    with qtbot.waitSignal(vm.changed):
        account.set_live(False)
    figures = vm.figures()
    assert {f.tone for f in figures[:5]} == {"stale"}
    assert (figures[5].text, figures[5].tone) == ("Resyncing…", "warn")
    assert figures[0].text == "10,000.00", "the last known figures, dimmed"
    panel = AccountSummaryPanel(vm)
    qtbot.addWidget(panel)
    assert DARK.muted_text in panel.values[0].styleSheet()
    account.set_live(True)
    assert (vm.figures()[5].text, vm.figures()[5].tone) == ("Active", "down")
    assert DARK.muted_text not in panel.values[0].styleSheet()
