"""Safety: the person's medicines and conditions as read, every profile finding, ad hoc checks.

Everything here is a GET: the ad hoc check (other medicines, conditions or a region) and the
legal lookup are answered on the page and never saved. Mistakes (an unknown region or code)
are shown beside their field with a 422.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.services.safety import safety_overview
from bedside.web.forms import FormValues
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
    meds, conds = split_names(values.get("med")), split_names(values.get("condition"))
    with page_scope(request) as scope:
        out = safety_overview(
            scope, meds, conds, values.get("region").strip() or None, values.get("code")
        )
    return render(
        request,
        "safety.html",
        {
            "section": "safety",
            "title": "Safety",
            "s": out,
            "welcome": out.advice if params.get("welcome") else None,
            "adhoc_own": {
                "medications": not meds,
                "conditions": not conds,
                "region": not values.get("region").strip(),
            },
            "v": values,
            "errors": out.problems,
        },
        422 if out.problems else 200,
    )
