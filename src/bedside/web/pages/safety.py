"""Safety: the person's medicines and conditions as read, every profile finding, ad hoc checks.

Everything here is a GET: the ad hoc check (other medicines, conditions or a region) and the
legal lookup are answered on the page and never saved. Mistakes (an unknown region or code)
are shown beside their field with a 422.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.safety.legal import LegalStatus
from bedside.safety.profile import ProfileCheck
from bedside.services.safety import legal_status, not_medical_advice, profile_check, today_of
from bedside.web.forms import FormValues, errors_of
from bedside.web.pages.common import page_scope
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
FIELDS = ("med", "condition", "region", "code")
MAX_ITEMS = 30
MAX_TEXT = 2000
_SPLIT = re.compile(r"[\n,;]+")


def split_names(text: str) -> list[str]:
    """Names typed one per line or separated by commas, blanks dropped (at most 30)."""
    return [part.strip() for part in _SPLIT.split(text[:MAX_TEXT]) if part.strip()][:MAX_ITEMS]


@router.get("/safety", name="safety_page")
def safety(request: Request) -> Response:
    """The profile check, plus the ad hoc check and legal lookup when asked for."""
    params = request.query_params
    values = FormValues((k, params[k][:MAX_TEXT]) for k in FIELDS if params.get(k))
    errors: dict[str, str] = {}
    adhoc: ProfileCheck | None = None
    legal: LegalStatus | None = None
    with page_scope(request) as scope:
        profile = scope.profile
        assert profile is not None
        mine = profile_check(scope)
        meds, conds = split_names(values.get("med")), split_names(values.get("condition"))
        region = values.get("region").strip() or None
        if meds or conds or region:
            try:
                adhoc = profile_check(scope, meds, conds, region)
            except BedsideError as exc:
                errors.update(errors_of(exc))
        if values.get("code").strip():
            try:
                legal = legal_status(values.get("code"), today_of(scope))
            except BedsideError as exc:
                errors.update(errors_of(exc))
        context: dict[str, Any] = {
            "section": "safety",
            "title": "Safety",
            "medications": list(profile.medications),
            "conditions": list(profile.conditions),
            "region": profile.region,
            "welcome": not_medical_advice(profile.medications) if params.get("welcome") else None,
        }
    return render(
        request,
        "safety.html",
        {
            **context,
            "mine": mine,
            "adhoc": adhoc,
            "adhoc_own": {"medications": not meds, "conditions": not conds, "region": not region},
            "legal": legal,
            "v": values,
            "errors": errors,
        },
        422 if errors else 200,
    )
