"""The embedded exchange's engine: matching, accounts, risk and a synthetic market.

The server drives it through `SimVenue` (pure Python, no I/O, time injected through
`advance(now_ms)`, deterministic for a seed); events reach listeners as `PublicEvent` /
`PrivateEvent` carrying the exact §11.4 JSON payloads.

Behaviour where PROTOCOL.md leaves a choice:
- `create_order` returns the order as accepted (`status "NEW"`); what became of it (OPEN,
  UNTRIGGERED, CLOSED with a `cancel_reason`, fills) arrives on the `orders`/`fills`
  channels during the same call. While matching is paused orders stay NEW.
- Synchronous codes: off-tick price → `INVALID_PRICE_PRECISION`; size off the increment,
  ≤ 0, above `max_order_size` or notional under `min_notional` → `INVALID_ORDER_SIZE`;
  malformed fields and the open-order limit (100 per market) → `VALIDATION_ERROR`;
  unknown market → `MARKET_NOT_FOUND` (404 on reads, 400 on orders); unknown order →
  `ORDER_ID_NOT_FOUND` / `CLIENT_ORDER_ID_NOT_FOUND` (404); closed → `ORDER_IS_CLOSED`.
- Risk closures (`cancel_reason`): `PRICE_OUTSIDE_BANDS` (limit price beyond
  `price_bands_width` of mark), `ORDER_EXCEEDS_POSITION_LIMIT`, `NOT_ENOUGH_MARGIN`,
  `POST_ONLY_WOULD_CROSS`, `REMAINING_IOC_CANCEL` (IOC and market remainders),
  `EMPTY_MARKET` (a market order meeting an empty side), `SELF_TRADE`, `IN_LIQUIDATION`,
  and `REDUCE_ONLY_WOULD_INCREASE` (no documented value exists for it).
- Market orders trade up to `max_slippage` from the mark. RPI is treated as POST_ONLY.
- Conditional orders fire on the mark: STOP/STOP_LOSS buy at or above the trigger, sell at
  or below; TAKE_PROFIT the opposite; the STOP_CONDITION_* flags override. When a position
  goes flat its untriggered reduce-only TP/SL orders are cancelled (one cancels the other).
- Batch create answers `{"orders": [accepted…], "errors": [{"error","message"}…]}`, the
  two lists not index-aligned. An empty BBO side is JSON null.
- Funding is paid every `funding_interval_s` (default 60 s) at the period rate scaled to
  the interval; the rate is the mark's premium over the index, clamped.
- Records: onboarding is a 100,000 USDC `DEPOSIT` transfer; each trade fill and each
  liquidation is a transaction settled at once (`ACCEPTED_ON_L2`); funding has none.
- The synthetic market's trade history is made from its kline history (four trades per
  bar for the newest 120 bars), so the two agree.
"""

from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.events import PrivateEvent, PublicEvent, VenueEvent
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.venue import SimVenue

__all__ = ["MarketSpec", "PrivateEvent", "PublicEvent", "SimVenue", "VenueError", "VenueEvent"]
