"""A clinician reading a person's analysis reads the person's remembered result and moves
nothing on: results are the data, not the page around them."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from bedside.storage.cache import ComputedResult
from bedside.storage.models import User
from tests.integration.accounts.conftest import ServerApp
from tests.integration.accounts.test_sharing import ANN, _ann_with_a_dose, _doc, _share


def _versions(server: ServerApp) -> tuple[int, list[tuple[int, str]]]:
    engine = create_engine(server.settings.database_url)
    try:
        with engine.connect() as conn:
            version = conn.scalar(select(User.data_version).where(User.email == ANN))
            rows = conn.execute(select(ComputedResult.user_id, ComputedResult.kind)).all()
            ann = conn.scalar(select(User.id).where(User.email == ANN))
    finally:
        engine.dispose()
    return int(version or 0), [(int(r[0]) - int(ann or 0), str(r[1])) for r in rows]


def test_a_clinicians_read_uses_the_owners_result_and_bumps_nothing(
    server: ServerApp, clinician: str
) -> None:
    ann = _ann_with_a_dose(server)
    _share(ann, "manager")
    doc, acting = _doc(server)
    version, _ = _versions(server)
    read = doc.client.get("/api/v1/insights", headers=acting)
    assert read.status_code == 200, read.text
    assert read.json()["counts"]["with_kratom"] == 1
    assert _versions(server) == (version, [(0, "insights")])  # stored under Ann, no bump
    assert ann.client.get("/api/v1/insights").json() == read.json()
    assert doc.client.get("/api/v1/insights", headers=acting).json() == read.json()
    assert _versions(server)[0] == version
