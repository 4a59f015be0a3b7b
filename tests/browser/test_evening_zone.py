"""The browser tests' clock guard: at any hour, the chosen zone is in the early evening."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import evening_zone


@pytest.mark.parametrize("hour", range(24))
def test_evening_zone_is_evening_at_every_hour(hour: int) -> None:
    now = datetime(2026, 11, 22, hour, 30, tzinfo=UTC)
    assert now.astimezone(ZoneInfo(evening_zone(now))).hour == 18
