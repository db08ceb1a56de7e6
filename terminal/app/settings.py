"""Persistent UI settings (QSettings): a declarative schema of options, change notification
per option, and the window layout.

An option with a `label` is the user's to tune: the settings dialog builds its editor from
the option's type and choices. Adding a setting is adding an `Option` here, then
`settings.watch(key, callback)` where it takes effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

from terminal.app.hotkey_list import HOTKEYS
from terminal.viewmodels.ladder import GROUPINGS

ORGANIZATION = "ParadexTerminal"
APPLICATION = "paradex-terminal"

LAYOUT_VERSION = 3
"""Bump when dock names or the default arrangement change: older saved layouts are ignored."""

AUTO_GROUPING = 0
"""The ladder grouping option's value for "let the ladder choose"."""


class InvalidSetting(ValueError):
    """A value an option cannot take (wrong type, not a choice, out of range)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One setting: key, type, default and what it means. With a `label` it shows in the
    settings dialog (under `section`): a choice of `choices` (named by `choice_labels`, else
    as they are), or else by its type (bool: a check box, int: a spin box from `minimum` to
    `maximum`, anything else: text parsed by `type`)."""

    key: str
    type: type
    default: Any
    description: str
    label: str = ""
    section: str = ""
    choices: tuple[Any, ...] = ()
    choice_labels: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int = 1_000_000

    def parse(self, value: Any) -> Any:
        """`value` as this option's type (QSettings hands back strings from ini files);
        InvalidSetting if it is not one, not one of the choices, or out of range."""
        if self.type is bool and isinstance(value, str):
            parsed: Any = value.strip().lower() in ("1", "true", "yes", "on")
        else:
            try:
                parsed = self.type(value)
            except (TypeError, ValueError, ArithmeticError) as exc:  # Decimal's are arithmetic
                raise InvalidSetting(f"{value!r} is not a {self.type.__name__}") from exc
        if self.choices and parsed not in self.choices:
            raise InvalidSetting(f"{parsed!r} is not one of {self.choices}")
        if self.type is int and not self.minimum <= parsed <= self.maximum:
            raise InvalidSetting(f"{parsed} is outside {self.minimum}..{self.maximum}")
        return parsed


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option(
            "ui/theme",
            str,
            "dark",
            "Colours of the whole window.",
            label="Theme",
            section="Appearance",
            choices=("dark", "light"),
            choice_labels=("Dark", "Light"),
        ),
        Option(
            "ladder/grouping",
            int,
            AUTO_GROUPING,
            "Ticks per ladder row; Auto fits both sides of the book into view.",
            label="Ladder grouping",
            section="Ladder",
            choices=(AUTO_GROUPING, *GROUPINGS),
            choice_labels=("Auto", *(f"{n} tick{'s' * (n > 1)}" for n in GROUPINGS)),
        ),
        Option(
            "ladder/row_height",
            int,
            0,
            "Height of a ladder row in pixels; 0 fits the font (more rows on a small screen).",
            label="Ladder row height",
            section="Ladder",
            minimum=0,
            maximum=48,
        ),
        Option(
            "sounds/fills",
            bool,
            False,
            "Play a sound when one of your orders fills.",
            label="Sound on fills",
            section="Sounds",
        ),
        Option("market/selected", str, "", "The market the panels show."),
        Option(
            "trading/fat_finger_notional",
            str,
            "250000",
            "Orders worth more than this (quote currency) ask for one confirmation; "
            "empty: never ask.",
            label="Fat-finger limit (USD)",
            section="Trading",
        ),
        Option("ticket/sizes", str, "{}", "The last size used per market (JSON)."),
        *(
            Option(
                f"hotkeys/{hotkey.key}",
                str,
                hotkey.default,
                f"{hotkey.title} (works in every panel; never while typing into a field).",
                label=hotkey.title,
                section="Hotkeys (after a restart)",
            )
            for hotkey in HOTKEYS
        ),
    )
}


def settings_location() -> str:
    """Where the settings live on this machine: a file, or a registry key on Windows."""
    return QSettings(ORGANIZATION, APPLICATION).fileName()


class AppSettings(QObject):
    """Typed access to the app's QSettings (pass one in for tests); `changed(key)` fires
    when an option's stored value changes, and `watch` calls back for one option."""

    changed = Signal(str)

    def __init__(self, store: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store or QSettings(ORGANIZATION, APPLICATION)
        self._watchers: dict[str, list[Callable[[Any], None]]] = {}

    @property
    def location(self) -> str:
        """Where the settings are stored (a file, or a registry path on Windows)."""
        return self._store.fileName()

    def get(self, key: str) -> Any:
        """The value of a schema option, or its default."""
        option = OPTIONS[key]
        try:
            return option.parse(self._store.value(key, option.default))
        except InvalidSetting:
            return option.default

    def set(self, key: str, value: Any) -> None:
        """Store a schema option; its watchers hear about a change."""
        option = OPTIONS[key]
        parsed = option.parse(value)
        if parsed == self.get(key) and self._store.contains(key):
            return
        # QSettings stores plain values; anything else (a Decimal limit) as its text.
        plain = isinstance(parsed, bool | int | float | str)
        self._store.setValue(key, parsed if plain else str(parsed))
        self.changed.emit(key)
        for callback in self._watchers.get(key, ()):
            callback(parsed)

    def watch(self, key: str, callback: Callable[[Any], None]) -> None:
        """Call `callback(value)` whenever option `key` changes."""
        if key not in OPTIONS:
            raise KeyError(key)
        self._watchers.setdefault(key, []).append(callback)

    def sync(self) -> None:
        """Write every pending change to storage now."""
        self._store.sync()

    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window geometry and dock state."""
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)
        self._store.setValue("window/layout_version", LAYOUT_VERSION)
        self._store.sync()

    def load_layout(self) -> tuple[QByteArray, QByteArray] | None:
        """The saved (geometry, state), or None if absent or from another layout version."""
        if str(self._store.value("window/layout_version", 0)) != str(LAYOUT_VERSION):
            return None
        geometry = self._store.value("window/geometry")
        state = self._store.value("window/state")
        if not isinstance(geometry, QByteArray) or not isinstance(state, QByteArray):
            return None
        return geometry, state

    def clear_layout(self) -> None:
        """Forget the saved layout (Reset layout)."""
        for key in ("window/geometry", "window/state", "window/layout_version"):
            self._store.remove(key)
        self._store.sync()
