"""First run and Settings: the profile, caps, wind-down steps, medications, data location."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services.profiles import get_profile
from bedside.web.forms import FormValues, errors_of, submitted_form
from bedside.web.pages.common import any_scope, page_scope, see_other
from bedside.web.pages.profile_form import (
    first_run_values,
    profile_values,
    save_profile,
    step_rows,
    zone_names,
)
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


def _context(request: Request, values: FormValues, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "v": values,
        "errors": errors,
        "rows": step_rows(values),
        "zones": zone_names(),
        "data_location": request.app.state.settings.display_url,
    }


def _first_run_page(
    request: Request, values: FormValues, errors: dict[str, str], status: int = 200
) -> Response:
    context = _context(request, values, errors)
    context.update(section="", title="Welcome to Bedside", detect_zone=not errors)
    return render(request, "welcome.html", context, status)


@router.get("/welcome", name="first_run_page")
def first_run(request: Request) -> Response:
    """Set up the profile; once it exists, this page leads to Settings."""
    with any_scope(request) as scope:
        exists = scope.profile is not None
    if exists:
        return see_other("/settings")
    return _first_run_page(request, first_run_values(), {})


@router.post("/welcome", name="first_run_submit")
def first_run_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Create the profile and go to Tonight."""
    try:
        with any_scope(request) as scope:
            save_profile(scope, values)
    except BedsideError as exc:
        return _first_run_page(request, values, errors_of(exc), 422)
    return see_other("/?saved=profile")


def _settings_page(
    request: Request,
    values: FormValues,
    errors: dict[str, str],
    status: int = 200,
    saved: bool = False,
) -> Response:
    context = _context(request, values, errors)
    context.update(section="settings", title="Settings", saved=saved)
    return render(request, "settings.html", context, status)


@router.get("/settings", name="settings_page")
def settings(request: Request, saved: str | None = None) -> Response:
    """The profile as a form, and where the data lives."""
    with page_scope(request) as scope:
        profile = get_profile(scope)
    return _settings_page(request, profile_values(profile), {}, saved=bool(saved))


@router.post("/settings", name="settings_submit")
def settings_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Save the profile, or show the form again with the error beside its field."""
    try:
        with page_scope(request) as scope:
            save_profile(scope, values)
    except BedsideError as exc:
        return _settings_page(request, values, errors_of(exc), 422)
    return see_other("/settings?saved=1")
