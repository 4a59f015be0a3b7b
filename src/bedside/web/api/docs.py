"""``/api/docs``: the API reference rendered on the server from the OpenAPI schema.

FastAPI's usual Swagger page loads its code from a CDN; Bedside makes no network calls, so
this page lists the operations itself, with no script at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.web.problems import PROBLEM_TYPES
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "delete", "patch")


@dataclass
class Operation:
    """One operation of the schema, as shown on the page."""

    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    body: str | None
    responses: list[tuple[str, str, str | None]] = field(default_factory=list)


def _ref_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        inner = _ref_name(schema.get("items"))
        return f"list of {inner}" if inner else "array"
    return str(schema.get("type", "object"))


def _content_schema(content: dict[str, Any] | None) -> str | None:
    for media in (content or {}).values():
        return _ref_name(media.get("schema"))
    return None


def operations(schema: dict[str, Any]) -> dict[str, list[Operation]]:
    """The schema's operations grouped by tag, in schema order."""
    grouped: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            entry = Operation(
                method=method.upper(),
                path=path,
                operation_id=op.get("operationId", ""),
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                parameters=op.get("parameters", []),
                body=_content_schema(op.get("requestBody", {}).get("content")),
                responses=[
                    (code, resp.get("description", ""), _content_schema(resp.get("content")))
                    for code, resp in op.get("responses", {}).items()
                ],
            )
            grouped.setdefault((op.get("tags") or ["other"])[0], []).append(entry)
    return grouped


@router.get("/api/docs", name="api_docs_page")
def api_docs(request: Request) -> Response:
    """The API reference page."""
    schema = request.app.openapi()
    return render(
        request,
        "api_docs.html",
        {
            "section": "api",
            "title": "Bedside API",
            "info": schema.get("info", {}),
            "groups": operations(schema),
            "schemas": schema.get("components", {}).get("schemas", {}),
            "problem_types": PROBLEM_TYPES,
        },
    )
