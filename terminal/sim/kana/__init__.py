"""The embedded exchange's Kana-compatible mode: the perps indexer's WebSocket topics and
`getMarketInfo`, served from the same synthetic market engine (`python -m terminal.sim
--venue kana`)."""
