"""Long-lived, Qt-free services: plain asyncio objects with callbacks.

- `supervisor` — owns every background task; ordered shutdown.
- `keystore` — Stark keys in the OS keyring; ephemeral demo keys.
- `profiles` — demo / testnet / mainnet endpoints.
- `connection` — `VenueConnection`: authenticated REST + the one shared WebSocket session.
- `subscriptions` — reference-counted channel leases over that session.
- `feed_stats` — message counts, rate, last-message age, reconnects.
- `market_data` — live order books (gap → stale → resync), trades, BBO, summaries, history.
- `account_data` — summary, positions, open orders, fills; reconciled after reconnects.
"""
