"""The Report page (``/report``) and its PDF (``/report.pdf``): the clinician report.

Both build the one report model for the chosen nights (default: the last 8 weeks with
logs); the page places its sections in the app's layout, the PDF is the printable A4 copy.
A bad date range is shown beside the form (422), never a failure.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.domain.timekeeping import parse_night
from bedside.services import report as reports
from bedside.web.forms import FormValues, errors_of
from bedside.web.pages.common import page_scope
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


def _night(values: FormValues, field: str) -> date | None:
    text = values.get(field).strip()
    return parse_night(text, field) if text else None


def _values(request: Request) -> FormValues:
    params = request.query_params
    return FormValues((k, params[k]) for k in ("from", "to") if params.get(k))


@router.get("/report", name="report_page")
def report_page(request: Request) -> Response:
    """The report for the nights asked for, with a range form and a PDF link."""
    values = _values(request)
    with page_scope(request) as scope:
        try:
            page = reports.report_page(scope, _night(values, "from"), _night(values, "to"))
        except BedsideError as exc:
            context = {"section": "report", "title": "Report", "v": values}
            return render(request, "report.html", {**context, "errors": errors_of(exc)}, 422)
    report = page.report
    query = urlencode({"from": report.period.start, "to": report.period.end})
    shown = FormValues([("from", str(report.period.start)), ("to", str(report.period.end))])
    context = {
        "section": "report",
        "title": "Report",
        "v": shown,
        "errors": {},
        "body": Markup(page.body),  # noqa: S704 - rendered by the report's autoescaping templates
        "pdf_url": f"/report.pdf?{query}",
    }
    return render(request, "report.html", context)


@router.get("/report.pdf", name="report_pdf")
def report_pdf_download(request: Request) -> Response:
    """The report as an A4 PDF download; a bad range goes back to the page with the reason."""
    values = _values(request)
    with page_scope(request) as scope:
        try:
            report = reports.build_report(scope, _night(values, "from"), _night(values, "to"))
        except BedsideError as exc:
            context = {"section": "report", "title": "Report", "v": values}
            return render(request, "report.html", {**context, "errors": errors_of(exc)}, 422)
    name = f"bedside-report-{report.period.start}-to-{report.period.end}.pdf"
    return Response(
        reports.report_pdf(report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
