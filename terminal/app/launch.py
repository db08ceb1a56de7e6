"""Before the window: can the window open as asked?

Light on purpose (no keyring, no venue, no Qt for the built-in profiles): it runs before
the embedded exchange's child is launched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from terminal.app.cli import AppOptions
from terminal.app.profiles import Profile, ProfileError, builtin_profiles

if TYPE_CHECKING:
    from terminal.app.profile_store import ProfileStore


def check_launch(options: AppOptions, store: ProfileStore | None = None) -> str | None:
    """Why the window must not open with `options` (unknown profile, misplaced flags)."""
    try:
        profile = _profile(options.profile, store)
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


def _profile(name: str, store: ProfileStore | None) -> Profile:
    builtin = builtin_profiles().get(name)
    if builtin is not None:
        return builtin
    # Custom profiles live in QSettings: Qt loads here, for them only.
    from terminal.app.profile_store import ProfileStore

    return (store or ProfileStore()).get(name)
