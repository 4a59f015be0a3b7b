"""Each page runs a bounded number of SQL queries, however long the history is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bedside.services import activity, diary, doses, products, symptoms
from bedside.services.runtime import Bedside
from tests.integration.web.conftest import Web

PAGES = [
    "/",
    "/log",
    "/log/dose",
    "/log/pain",
    "/log/soreness",
    "/log/workout",
    "/log/intake",
    "/diary",
    "/diary/2025-06-13",
    "/history",
    "/history?from=2025-03-01&to=2025-06-14",
    "/products",
    "/products/1",
    "/batches/1/edit",
    "/settings",
    "/entries/dose/1/edit",
    "/entries/diary/1/edit",
    "/entries/soreness/1/edit",
    "/entries/dose/1/delete",
    "/api/v1/nights?from=2025-03-01&to=2025-06-14",
    "/api/v1/nights",
    "/api/v1/doses",
    "/api/v1/doses?from=2025-03-01&to=2025-06-14",
    "/api/v1/diary",
    "/api/v1/pain",
    "/api/v1/soreness",
    "/api/v1/workouts",
    "/api/v1/intakes",
    "/api/v1/products",
    "/api/v1/products/1/batches",
    "/api/v1/plan/tonight",
]
MAX_QUERIES = 25  # Tonight runs the safety engine's pre-dose check too


def fill(bedside: Bedside, nights: int, last: date) -> None:
    """``nights`` nights of everything, ending with ``last``; a few products with batches."""
    with bedside.scope() as scope:
        ids = []
        for n in range(3):
            product = products.add_product(scope, {"name": f"Product {n}"})
            products.add_batch(scope, product.id, {"lot": f"L{n}", "mitragynine_pct": 1.1})
            ids.append(product.id)
        for i in range(nights):
            night = last - timedelta(days=i)
            day = night.isoformat()
            doses.add_dose(
                scope, {"amount": 3, "time": "20:10", "night": night, "product_id": ids[i % 3]}
            )
            symptoms.add_pain(scope, {"score": i % 11, "time": "20:00", "night": night})
            symptoms.add_soreness(
                scope, {"ratings": {"quads": 4, "calves": 2}, "time": "20:05", "night": night}
            )
            activity.add_workout(
                scope, {"kind": "run", "duration_min": 30, "time": "17:00", "night": night}
            )
            activity.add_intake(
                scope, {"kind": "caffeine", "amount": 95, "time": "13:00", "night": night}
            )
            if i > 0:
                diary.add_entry(
                    scope,
                    {
                        "night": day,
                        "bedtime": "23:00",
                        "tried": "23:05",
                        "sol_min": 15,
                        "awakenings": 1,
                        "waso_min": 10,
                        "final_wake": "06:45",
                        "out_of_bed": "07:00",
                        "quality": 3,
                    },
                )


@contextmanager
def counting(bedside: Bedside) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = bedside.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def query_counts(web: Web, nights: int) -> dict[str, int]:
    bedside: Bedside = web.client.app.state.bedside  # type: ignore[attr-defined]
    fill(bedside, nights, date(2025, 6, 14))
    counts = {}
    for page in PAGES:
        with counting(bedside) as statements:
            response = web.get(page)
        assert response.status_code == 200, (page, response.text[:500])
        counts[page] = len(statements)
    return counts


@pytest.fixture
def small(profiled: Web) -> dict[str, int]:
    return query_counts(profiled, 3)


def test_query_count_does_not_grow_with_history(
    small: dict[str, int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from fastapi.testclient import TestClient

    from bedside.settings import Settings, sqlite_url
    from bedside.web.app import create_app
    from tests.integration.web.conftest import BASE_URL, PROFILE, Clock

    tmp = tmp_path_factory.mktemp("large")
    settings = Settings(database_url=sqlite_url(tmp / "large.db"), data_dir=tmp / "data")
    with TestClient(create_app(settings, clock=Clock()), base_url=BASE_URL) as client:
        large_web = Web(client=client, settings=settings, clock=Clock())
        assert large_web.api("PUT", "/api/v1/profile", json=PROFILE).status_code == 200
        large = query_counts(large_web, 120)
    assert large == small
    assert max(small.values()) <= MAX_QUERIES, small
