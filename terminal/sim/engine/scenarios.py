"""Scenario shapes: how the fair price and the market makers' liquidity vary over time."""

from __future__ import annotations

from dataclasses import dataclass

SCENARIOS = ("calm", "spike")


@dataclass(frozen=True, slots=True)
class Conditions:
    """Multipliers at one instant: fair-price anchor, quoted spread, quoted size."""

    price: float = 1.0
    spread: float = 1.0
    size: float = 1.0


CALM = Conditions()

# the spike: quiet for 5 s, +6 % over 3 s with books thinning to a quarter of their size
# and five times as wide, held for 12 s, then a linear recovery over 60 s; every 5 minutes
_QUIET_MS, _RAMP_MS, _HOLD_MS, _RECOVER_MS, _CYCLE_MS = 5_000, 3_000, 12_000, 60_000, 300_000
SPIKE_JUMP = 0.06


def conditions(scenario: str, elapsed_ms: int) -> Conditions:
    """The scenario's conditions `elapsed_ms` after the venue started."""
    if scenario != "spike":
        return CALM
    t = elapsed_ms % _CYCLE_MS - _QUIET_MS
    if t < 0:
        return CALM
    if t < _RAMP_MS:
        k = t / _RAMP_MS
    elif t < _RAMP_MS + _HOLD_MS:
        k = 1.0
    elif t < _RAMP_MS + _HOLD_MS + _RECOVER_MS:
        k = 1.0 - (t - _RAMP_MS - _HOLD_MS) / _RECOVER_MS
    else:
        return CALM
    return Conditions(price=1.0 + SPIKE_JUMP * k, spread=1.0 + 4.0 * k, size=1.0 - 0.75 * k)
