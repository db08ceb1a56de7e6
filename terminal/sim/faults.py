"""Fault knobs: what the server breaks on purpose, for tests and practice.

Settable at start (`--faults JSON`) and at run time over `POST /_sim/faults`. Every knob
defaults to "off"; unknown keys are refused so a typo never silently does nothing.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from typing import Any

from terminal.sim.ws_channels import PRIVATE_ACCOUNT_WIDE, PRIVATE_BY_MARKET, PUBLIC_BY_MARKET

MAX_DELAY_MS = 30_000.0
"""The venue answers 503 after 30 s (§1); a longer delay is a stall, which SIGSTOP makes."""
MAX_MALFORMED_PER_S = 1_000.0
"""Far above any useful rate; 1e9 a second would keep the ticker sending for ever."""
MAX_RETRY_AFTER_S = 3_600
DROP_FAMILIES = PUBLIC_BY_MARKET | PRIVATE_BY_MARKET | PRIVATE_ACCOUNT_WIDE | {"order_book"}


class FaultSpecError(ValueError):
    """A fault specification has an unknown key or a value out of range."""


def _number(name: str, value: Any, high: float) -> float:
    # NaN fails both comparisons, so "NaN" and "Infinity" (Python's json takes both) are out
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= high:
        raise FaultSpecError(f"{name} must be a number in [0, {high:g}], got {value!r}")
    return float(value)


def _fraction(name: str, value: Any) -> float:
    return _number(name, value, 1.0)


def _drop(value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise FaultSpecError("drop must be an object {family: fraction}")
    unknown = sorted(set(value) - DROP_FAMILIES)
    if unknown:
        raise FaultSpecError(f"unknown drop families {unknown}; known: {sorted(DROP_FAMILIES)}")
    return {k: _fraction(f"drop.{k}", v) for k, v in value.items()}


@dataclass
class Faults:
    """Current fault settings. Probabilities are per message (WS) or per request (REST)."""

    drop: dict[str, float] = field(default_factory=dict)
    """Channel family (e.g. "order_book", "trades", "orders") -> fraction of its messages lost."""
    ws_delay_ms: float = 0.0
    """Latency added before each WebSocket write."""
    rest_delay_ms: float = 0.0
    """Latency added before each REST answer."""
    rest_429: float = 0.0
    """Fraction of /v1 REST calls answered 429 with Retry-After."""
    retry_after_s: int = 1
    rest_5xx: float = 0.0
    """Fraction of /v1 REST calls answered 503 SERVICE_UNAVAILABLE."""
    malformed_per_s: float = 0.0
    """Malformed frames per second sent to every WebSocket client (alternating text/binary)."""
    matching_paused: bool = False
    """Pause the engine's matching (orders rest, nothing trades)."""

    def update(self, spec: dict[str, Any]) -> None:
        """Apply a partial specification; validate everything before changing anything."""
        staged = Faults(**asdict(self))
        for key, value in spec.items():
            if key == "drop":
                staged.drop = _drop(value)
            elif key in ("rest_429", "rest_5xx"):
                setattr(staged, key, _fraction(key, value))
            elif key in ("ws_delay_ms", "rest_delay_ms"):
                setattr(staged, key, _number(key, value, MAX_DELAY_MS))
            elif key == "malformed_per_s":
                staged.malformed_per_s = _number(key, value, MAX_MALFORMED_PER_S)
            elif key == "retry_after_s":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise FaultSpecError(f"retry_after_s must be an integer, got {value!r}")
                staged.retry_after_s = int(_number(key, value, MAX_RETRY_AFTER_S))
            elif key == "matching_paused":
                if not isinstance(value, bool):
                    raise FaultSpecError("matching_paused must be true or false")
                staged.matching_paused = value
            else:
                raise FaultSpecError(f"unknown fault knob {key!r}")
        self.__dict__.update(staged.__dict__)

    def to_json(self) -> dict[str, Any]:
        """The current settings as a JSON-able dict."""
        return asdict(self)

    @classmethod
    def from_text(cls, text: str | None) -> Faults:
        """Parse a `--faults` JSON object (None or "" gives no faults)."""
        faults = cls()
        if text:
            try:
                spec = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FaultSpecError(f"--faults is not JSON: {exc}") from exc
            if not isinstance(spec, dict):
                raise FaultSpecError("--faults must be a JSON object")
            faults.update(spec)
        return faults


class FaultDice:
    """Seeded random decisions against the current `Faults`."""

    def __init__(self, faults: Faults, seed: int) -> None:
        self.faults = faults
        self._rng = random.Random(seed ^ 0x5EED)

    def drops(self, family: str) -> bool:
        """Whether to lose this message of `family`."""
        p = self.faults.drop.get(family, 0.0)
        return p > 0 and self._rng.random() < p

    def rest_failure(self) -> int | None:
        """429 or 503 when this REST call should fail, else None."""
        f = self.faults
        if f.rest_429 > 0 and self._rng.random() < f.rest_429:
            return 429
        if f.rest_5xx > 0 and self._rng.random() < f.rest_5xx:
            return 503
        return None

    def malformed_frame(self, n: int) -> str | bytes:
        """The n-th malformed frame: invalid JSON text, then a truncated SBE header, in turn."""
        if n % 2 == 0:
            return '{"jsonrpc":"2.0","method":"subscription","params":{"channel":'
        return bytes(self._rng.getrandbits(8) for _ in range(5))
