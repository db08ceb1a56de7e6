"""The WebSocket frame log keeps text only: a record never holds the auth frame's JWT."""

from __future__ import annotations

import logging

import pytest
from websockets.frames import Frame, Opcode

from terminal.venues.paradex.ws.frame_log import FRAME_LOG


def test_frame_records_carry_text_not_the_frame(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="websockets.client")
    token = "eyJhbGciOiJIUzI1NiJ9." + "x" * 200 + ".signature"
    frame = Frame(Opcode.TEXT, f'{{"method":"auth","params":{{"bearer":"{token}"}}}}'.encode())
    FRAME_LOG.debug("> %s", frame)
    (record,) = caplog.records
    assert record.name == "websockets.client" and record.args == ("> " + str(frame),)
    assert token not in record.getMessage() and token not in repr(record.args)
    caplog.clear()
    caplog.set_level(logging.INFO, logger="websockets.client")
    FRAME_LOG.debug("> %s", frame)
    assert caplog.records == []
