"""The status bar: connection state, feed problems, traffic, loop lag, clock skew, profile and
account."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

NOTICE_MS = 30_000
"""How long a notice (e.g. "the embedded exchange stopped …") stays on the bar."""

# Connection state name (the venue's ConnectionState, by name) → (label, dot colour).
_STATES: dict[str, tuple[str, str]] = {
    "live": ("Live", "#26a269"),
    "connecting": ("Connecting", "#d4a72c"),
    "stale": ("Stale", "#e5484d"),
    "reconnecting": ("Reconnecting", "#e08a2c"),
    "closed": ("Disconnected", "#8592a6"),
    "starting": ("Starting", "#8592a6"),
    "error": ("Error", "#e5484d"),
}


def short_address(account: str) -> str:
    """An account address shortened for a badge: 0x1234…abcd."""
    return account if len(account) <= 12 else f"{account[:6]}…{account[-4:]}"


def state_key(state: object) -> str:
    """Normalise a state (enum member or string) into a key of the state table."""
    name = getattr(state, "name", None) or str(state)
    return name.rsplit(".", 1)[-1].lower()


class StatusBar(QStatusBar):
    """Bottom bar of the main window; the app feeds it, it only displays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.connection = QLabel(self)
        self.connection.setObjectName("statusConnection")
        self.traffic = QLabel(self)
        self.age = QLabel(self)
        self.lag = QLabel(self)
        self.skew = QLabel(self)
        self.profile = QLabel(self)
        self.badge = QLabel(self)
        self.badge.setObjectName("statusBadge")
        self.feed = QLabel(self)
        self.feed.setObjectName("statusFeed")
        self.feed.hide()
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("statusNotice")
        self.notice_label.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice_label.hide)
        self.addWidget(self.connection, 1)
        self.addWidget(self.notice_label)
        self.addWidget(self.feed)
        for label in (self.traffic, self.age, self.lag, self.skew, self.profile):
            self.addPermanentWidget(label)
        self.addPermanentWidget(self.badge)
        self.state = "starting"
        self.set_connection("starting")
        self.set_traffic(0.0, None)
        self.set_loop_lag(None)
        self.set_clock_skew(None)
        self.set_profile("demo", "", demo=True)

    def set_connection(self, state: object, reason: str = "") -> None:
        """Show a connection state (live / stale / reconnecting …) and why."""
        key = state_key(state)
        label, colour = _STATES.get(key, (key.capitalize(), "#8592a6"))
        self.state = key
        text = f'<span style="color:{colour}; font-size:14px">●</span>&nbsp;{label}'
        if reason:
            text += f" — {reason}"
        self.connection.setText(text)
        self.connection.setToolTip(f"Connection: {label}" + (f" ({reason})" if reason else ""))

    def notice(self, text: str, duration_ms: int = NOTICE_MS) -> None:
        """Tell the user something that happened (beside the state, for a while)."""
        self.notice_label.setText(f'<span style="color:#e08a2c">⚠</span>&nbsp;{text}')
        self.notice_label.setToolTip(text)
        self.notice_label.show()
        self._notice_timer.start(duration_ms)

    def set_feed_problems(self, problems: Mapping[str, str]) -> None:
        """Channels the panels need but that are not subscribed, with why (empty: none)."""
        if not problems:
            self.feed.hide()
            self.feed.clear()
            return
        count = len(problems)
        noun = "channel" if count == 1 else "channels"
        self.feed.setText(
            f'<span style="color:#e5484d">⚠</span>&nbsp;{count} {noun} not subscribed'
        )
        self.feed.setToolTip(
            "\n".join(f"{channel}: {why}" for channel, why in sorted(problems.items()))
        )
        self.feed.show()

    def set_traffic(
        self, per_second: float, last_age_s: float | None, data_age_s: float | None = None
    ) -> None:
        """Messages per second, the time since the last one and how old data arrives."""
        self.traffic.setText(f"{per_second:,.0f} msg/s")
        text = "last —" if last_age_s is None else f"last {last_age_s:.1f}s"
        if data_age_s is not None:
            text += f" · data {data_age_s:.1f}s"
        self.age.setText(text)
        self.age.setToolTip(
            "Time since the last market-data message; how old the data was on arrival, "
            "by the exchange's timestamps (clock-skew corrected)"
        )

    def set_loop_lag(self, lag_ms: float | None) -> None:
        """Event-loop lag (recent p99)."""
        self.lag.setText("lag —" if lag_ms is None else f"lag {lag_ms:.0f} ms")
        self.lag.setToolTip("Event-loop lag: how late the UI thread wakes up")

    def set_clock_skew(self, skew_ms: float | None) -> None:
        """Local clock minus venue clock."""
        self.skew.setText("skew —" if skew_ms is None else f"skew {skew_ms:+.0f} ms")
        self.skew.setToolTip("Local clock minus the exchange's clock")

    def set_profile(
        self, name: str, account: str, *, demo: bool, key_kind: str = "", session: str = ""
    ) -> None:
        """Profile name, short account address ("" for none: read-only), the key's kind
        (stark / eth / subkey) and the session kind (retail / pro); the DEMO badge only for
        the embedded exchange."""
        parts = [name, short_address(account) if account else "read-only" if not demo else ""]
        parts += [f"{key_kind} key" if key_kind else "", session]
        self.profile.setText(" · ".join(p for p in parts if p) or name)
        self.profile.setToolTip(
            "\n".join(
                line
                for line in (
                    f"Profile: {name}",
                    f"Account: {account}" if account else "No key: market data only",
                    f"Key: {key_kind}" if key_kind else "",
                    f"Session: {session}" if session else "",
                )
                if line
            )
        )
        self.badge.setText(" DEMO " if demo else f" {name.upper()} ")
        self.badge.setProperty("live", not demo)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
