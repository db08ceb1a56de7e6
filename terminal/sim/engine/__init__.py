"""The embedded exchange's engine: matching, accounts, risk and a synthetic market.

The server drives it through `SimVenue`; events reach listeners as `PublicEvent` /
`PrivateEvent` carrying the exact §11.4 JSON payloads.
"""

from terminal.sim.engine.errors import VenueError
from terminal.sim.engine.events import PrivateEvent, PublicEvent, VenueEvent
from terminal.sim.engine.markets import MarketSpec
from terminal.sim.engine.venue import SimVenue

__all__ = ["MarketSpec", "PrivateEvent", "PublicEvent", "SimVenue", "VenueError", "VenueEvent"]
