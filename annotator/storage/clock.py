"""The time events and rows are dated with."""

from __future__ import annotations

import datetime as _dt


def now_iso() -> str:
    """This machine's clock in UTC, ISO 8601 to the microsecond (the form events store)."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")
