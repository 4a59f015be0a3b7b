"""The OpenAPI schema is a contract: compared with a committed snapshot, documented offline.

Refresh the snapshot after an intended API change with ``BEDSIDE_UPDATE_SNAPSHOTS=1``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from bedside.web.auth import is_own_account
from tests.integration.web.conftest import Web

SNAPSHOT = Path(__file__).with_name("openapi.json")
METHODS = ("get", "post", "put", "delete", "patch")


def operations(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (method.upper(), path, op["operationId"])
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_openapi_matches_the_snapshot(web: Web) -> None:
    schema = web.get("/api/openapi.json").json()
    if os.environ.get("BEDSIDE_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    assert SNAPSHOT.exists(), "no snapshot yet: run with BEDSIDE_UPDATE_SNAPSHOTS=1"
    expected = json.loads(SNAPSHOT.read_text())
    assert schema == expected, (
        "the API schema changed; if intended, refresh tests/integration/web/openapi.json "
        "with BEDSIDE_UPDATE_SNAPSHOTS=1 and review the diff"
    )


def test_every_entity_has_stable_operation_ids(web: Web) -> None:
    schema = web.get("/api/openapi.json").json()
    ops = operations(schema)
    ids = [op_id for _, _, op_id in ops]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", op_id) for op_id in ids)
    for entity, plural in [
        ("dose", "doses"),
        ("pain", "pain"),
        ("soreness", "soreness"),
        ("workout", "workouts"),
        ("intake", "intakes"),
        ("product", "products"),
        ("diary_entry", "diary_entries"),
    ]:
        assert {f"create_{entity}", f"get_{entity}", f"update_{entity}", f"delete_{entity}"} <= set(
            ids
        ), entity
        assert f"list_{plural}" in ids
    assert {"get_profile", "put_profile", "get_plan_tonight", "list_nights"} <= set(ids)
    assert {"create_batch", "get_batch", "update_batch", "delete_batch", "list_batches"} <= set(ids)
    assert all(path.startswith("/api/v1/") for _, path, _ in ops)


def test_errors_are_documented_as_problem_json(web: Web) -> None:
    schema = web.get("/api/openapi.json").json()
    put = schema["paths"]["/api/v1/doses/{dose_id}"]["put"]["responses"]
    for status in ("404", "409", "415", "422"):
        assert list(put[status]["content"]) == ["application/problem+json"]
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "field", "errors"} <= set(problem["properties"])


def test_docs_page_is_offline_and_lists_every_operation(web: Web) -> None:
    schema = web.get("/api/openapi.json").json()
    page = web.get("/api/docs")
    assert page.status_code == 200
    text = page.text
    for _method, _path, op_id in operations(schema):
        assert f'id="op-{op_id}"' in text, op_id
    assert re.findall(r"<script[^>]*>", text) == ['<script src="/static/bedside.js" defer>']
    assert "http://" not in text.replace("http://127.0.0.1", "") and "https://" not in text
    assert 'id="problem-input"' in text
    assert web.get("/docs").status_code == 404  # FastAPI's CDN-based pages are off
    assert web.get("/redoc").status_code == 404


def typed(schema: dict[str, Any]) -> bool:
    """True when a response schema names its fields: a model, a list or optional of one, or
    a file (never a bare ``object`` with any properties, nor an empty schema)."""
    if "$ref" in schema or schema.get("format") == "binary":
        return True
    if schema.get("type") == "array":
        return typed(schema.get("items") or {})
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return bool(options) and all(typed(s) for s in options)
    return False


def test_every_success_response_is_a_typed_model(web: Web) -> None:
    schema = web.get("/api/openapi.json").json()
    untyped = [
        f"{method.upper()} {path} {status} {media}"
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
        for status, response in op["responses"].items()
        if status.startswith("2")
        for media, content in (response.get("content") or {}).items()
        if not typed(content.get("schema") or {})
    ]
    assert untyped == []
    safety = schema["components"]["schemas"]["SafetyCheckOut"]["properties"]
    assert {"findings", "medications", "conditions", "legal", "legal_finding"} <= set(safety)
    signals = schema["components"]["schemas"]["SignalsOut"]["properties"]
    assert {"windows", "longest_streak", "dose_creep", "timing", "findings"} <= set(signals)


def test_the_typed_check_is_not_fooled_by_open_objects() -> None:
    assert not typed({"type": "object", "additionalProperties": True})
    assert not typed({})
    assert not typed({"type": "array", "items": {"type": "object"}})
    assert typed({"anyOf": [{"$ref": "#/components/schemas/AssignmentOut"}, {"type": "null"}]})


def test_403_is_declared_where_a_grant_or_a_role_can_refuse(web: Web) -> None:
    """Changes a clinician can send for a person (a viewer's are refused), and joining a study."""
    schema = web.get("/api/openapi.json").json()
    for method, path, op_id in operations(schema):
        declared = "403" in schema["paths"][path][method.lower()]["responses"]
        refusable = (method != "GET" and not is_own_account(path)) or op_id == "join_study"
        assert declared == refusable, (method, path)
