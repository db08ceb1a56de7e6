"""The logger websockets writes its frame log to, with text only in each record.

websockets logs a frame as `logger.debug("> %s", frame)`: the message text is cut to a
few dozen characters, but the record keeps the Frame itself as its argument, and the
`auth` frame carries the bearer JWT. Any handler that keeps a record's arguments (or a
test that reads them) would hold a whole token. Here the text is made at once and the
record gets no arguments.
"""

from __future__ import annotations

import logging
from typing import Any


class TextOnlyAdapter(logging.LoggerAdapter[logging.Logger]):
    """Formats each message before it becomes a record; records carry no arguments."""

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        """Log `msg % args` as plain text (when the level is enabled)."""
        if self.isEnabledFor(level):
            self.logger.log(level, "%s", str(msg) % args if args else msg, **kwargs)


FRAME_LOG = TextOnlyAdapter(logging.getLogger("websockets.client"))
