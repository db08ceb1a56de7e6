"""cancel_reason codes in words: every documented code has words; unknown codes stay legible."""

from __future__ import annotations

import re
from pathlib import Path

from terminal.domain.cancel_reasons import (
    CANCEL_REASONS,
    REJECTIONS,
    describe_cancel_reason,
    is_rejection,
)

PROTOCOL = Path(__file__).resolve().parents[3] / "shared" / "PROTOCOL.md"


def test_known_codes_read_as_words() -> None:
    assert describe_cancel_reason("POST_ONLY_WOULD_CROSS") == "post-only would have crossed"
    assert describe_cancel_reason("USER_CANCELED") == "cancelled by you"
    assert describe_cancel_reason("") == ""


def test_an_unknown_code_reads_as_itself() -> None:
    assert describe_cancel_reason("SOMETHING_NEW") == "something new"


def test_every_reason_the_protocol_lists_has_words() -> None:
    listed = {"USER_CANCELED", "NOT_ENOUGH_MARGIN", "REMAINING_IOC_CANCEL", "MMP_NOT_CONFIGURED"}
    if PROTOCOL.exists():  # the shared docs sit beside the repository in development
        line = next(t for t in PROTOCOL.read_text().splitlines() if "`cancel_reason` (string" in t)
        listed = set(re.findall(r"`([A-Z_]{4,})`", line))
    assert listed and listed <= set(CANCEL_REASONS)


def test_rejections_are_the_venue_refusing_not_the_user_or_the_book() -> None:
    assert is_rejection("NOT_ENOUGH_MARGIN") and is_rejection("POST_ONLY_WOULD_CROSS")
    assert not is_rejection("USER_CANCELED") and not is_rejection("REMAINING_IOC_CANCEL")
    assert set(CANCEL_REASONS) >= REJECTIONS
