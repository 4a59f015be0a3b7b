"""Time zones by name and epoch seconds, as the sleep records use them (standard library only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=256)
def load_zone(name: str | None) -> ZoneInfo | None:
    """Return the IANA zone ``name``, or None when it is empty or unknown.

    Remembered: the nights of a long history ask for the same few zones for every record.
    """
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        return None


def from_epoch_s(seconds: float) -> datetime:
    """Epoch seconds → aware UTC datetime."""
    return EPOCH + timedelta(seconds=seconds)
