"""API: the clinician report as JSON (the same model the page and the PDF render)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from bedside.services.report_schemas import ClinicianReport
from bedside.web.api.common import From, To, api_scope

router = APIRouter()


@router.get("/report", name="get_report", tags=["report"])
def get_report(request: Request, start: From = None, end: To = None) -> ClinicianReport:
    """The clinician report for nights ``from`` to ``to`` (default: the last 8 weeks logged)."""
    from bedside.services.report import build_report

    with api_scope(request) as scope:
        return build_report(scope, start, end)
