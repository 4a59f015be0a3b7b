"""API: pain ratings and per-muscle soreness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.services import symptoms
from bedside.services.symptoms_schemas import PainIn, PainOut, SorenessIn, SorenessOut
from bedside.web.api.common import From, Id, To, api_scope, no_content

router = APIRouter()


@router.get("/pain", name="list_pain", tags=["pain"])
def list_pain(request: Request, start: From = None, end: To = None) -> list[PainOut]:
    """Pain ratings whose night lies in the range, oldest first."""
    with api_scope(request) as scope:
        return symptoms.list_pain(scope, start, end)


@router.post("/pain", name="create_pain", status_code=201, tags=["pain"])
def create_pain(request: Request, body: PainIn) -> PainOut:
    """Log pain on the 0-10 scale."""
    with api_scope(request) as scope:
        return symptoms.add_pain(scope, body)


@router.get("/pain/{entry_id}", name="get_pain", tags=["pain"])
def get_pain(request: Request, entry_id: Id) -> PainOut:
    """One pain rating."""
    with api_scope(request) as scope:
        return symptoms.get_pain(scope, entry_id)


@router.put("/pain/{entry_id}", name="update_pain", tags=["pain"])
def update_pain(request: Request, entry_id: Id, body: PainIn) -> PainOut:
    """Replace a pain rating."""
    with api_scope(request) as scope:
        return symptoms.update_pain(scope, entry_id, body)


@router.delete("/pain/{entry_id}", name="delete_pain", status_code=204, tags=["pain"])
def delete_pain(request: Request, entry_id: Id) -> Response:
    """Delete a pain rating."""
    with api_scope(request) as scope:
        symptoms.delete_pain(scope, entry_id)
    return no_content()


@router.get("/soreness", name="list_soreness", tags=["soreness"])
def list_soreness(request: Request, start: From = None, end: To = None) -> list[SorenessOut]:
    """Soreness ratings (one per muscle group) whose night lies in the range, oldest first."""
    with api_scope(request) as scope:
        return symptoms.list_soreness(scope, start, end)


@router.post("/soreness", name="create_soreness", status_code=201, tags=["soreness"])
def create_soreness(request: Request, body: SorenessIn) -> list[SorenessOut]:
    """Log soreness 0-10 for one or more muscle groups (one stored rating per group)."""
    with api_scope(request) as scope:
        return symptoms.add_soreness(scope, body)


@router.get("/soreness/{entry_id}", name="get_soreness", tags=["soreness"])
def get_soreness(request: Request, entry_id: Id) -> SorenessOut:
    """One soreness rating."""
    with api_scope(request) as scope:
        return symptoms.get_soreness(scope, entry_id)


@router.put("/soreness/{entry_id}", name="update_soreness", tags=["soreness"])
def update_soreness(request: Request, entry_id: Id, body: SorenessIn) -> SorenessOut:
    """Replace one soreness rating (`ratings` must name exactly one muscle group)."""
    with api_scope(request) as scope:
        return symptoms.replace_soreness(scope, entry_id, body)


@router.delete("/soreness/{entry_id}", name="delete_soreness", status_code=204, tags=["soreness"])
def delete_soreness(request: Request, entry_id: Id) -> Response:
    """Delete a soreness rating."""
    with api_scope(request) as scope:
        symptoms.delete_soreness(scope, entry_id)
    return no_content()
