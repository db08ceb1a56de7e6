"""Suite-wide settings: property tests are reproducible run to run (CI must not flake)."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.load_profile("repeatable")
