"""The Safety, Signals, Import and sleep pages run a bounded number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from bedside.services.runtime import Bedside
from bedside.settings import Settings, sqlite_url
from bedside.web.app import create_app
from tests.integration.web.conftest import BASE_URL, PROFILE, Clock, Web
from tests.integration.web.test_web_queries import counting, fill

PAGES = [
    "/safety",
    "/safety?med=Xanax&condition=asthma&region=US-AL&code=US-FL-Sarasota-County",
    "/signals",
    "/import",
    "/history?from=2025-03-01&to=2025-06-14",
    "/api/v1/signals",
    "/api/v1/sleep?from=2025-03-01&to=2025-06-14",
    "/api/v1/safety/check?med=Xanax",
    "/api/v1/legal/US-AL",
]
MAX_QUERIES = 20


def counts_for(web: Web, nights: int) -> dict[str, int]:
    bedside: Bedside = web.client.app.state.bedside  # type: ignore[attr-defined]
    fill(bedside, nights, date(2025, 6, 14))
    counts = {}
    for page in PAGES:
        with counting(bedside) as statements:
            response = web.get(page)
        assert response.status_code == 200, (page, response.text[:500])
        counts[page] = len(statements)
    return counts


def test_new_pages_query_count_does_not_grow(
    profiled: Web, tmp_path_factory: pytest.TempPathFactory
) -> None:
    small = counts_for(profiled, 3)
    tmp = tmp_path_factory.mktemp("large-safety")
    settings = Settings(database_url=sqlite_url(tmp / "large.db"), data_dir=tmp / "data")
    with TestClient(create_app(settings, clock=Clock()), base_url=BASE_URL) as client:
        large_web = Web(client=client, settings=settings, clock=Clock())
        assert large_web.api("PUT", "/api/v1/profile", json=PROFILE).status_code == 200
        large = counts_for(large_web, 120)
    assert large == small
    assert max(small.values()) <= MAX_QUERIES, small
