"""Before the window: is this a set-up command, and can the window open as asked?

Light on purpose (no keyring, no venue): it runs before the first paint.
"""

from __future__ import annotations

from terminal.app.cli import AppOptions
from terminal.app.profile_store import ProfileStore
from terminal.app.profiles import ProfileError

COMMANDS = ("profiles", "keys")
"""First arguments that run a command (app.commands) instead of the window."""


def check_launch(options: AppOptions, store: ProfileStore | None = None) -> str | None:
    """Why the window must not open with `options` (unknown profile, misplaced flags)."""
    try:
        profile = (store or ProfileStore()).get(options.profile)
    except ProfileError as exc:
        return str(exc)
    embedded_only = {
        "--scenario": options.scenario,
        "--rate": options.rate,
        "--seed": options.seed,
    }
    given = [flag for flag, value in embedded_only.items() if value is not None]
    if given and not profile.embedded:
        return (
            f"{', '.join(given)}: only for the embedded exchange (profile demo); "
            f"profile {profile.name!r} is a real venue"
        )
    return None
