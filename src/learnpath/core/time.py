"""UTC helpers. The core never reads the clock: callers pass a time or a ``Clock``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "ensure_utc"]

Clock = Callable[[], datetime]
"""A function returning the current time as an aware UTC datetime (adapters pass the real one)."""


def ensure_utc(value: datetime, name: str = "time") -> datetime:
    """Return ``value`` converted to UTC; refuse naive datetimes (their zone is a guess)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)
