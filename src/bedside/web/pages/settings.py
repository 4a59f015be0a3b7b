"""First run and Settings: the profile, caps, wind-down steps, medications, data location,
and the sleep source priority (one choice per rank; saving it rebuilds the wearable nights)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services.settings_page import settings_overview
from bedside.services.sleep_priority import (
    DEVICE_CLASS_LABELS,
    DEVICE_CLASSES,
    ORDER_FIELD,
    SleepPriorityOut,
    reset_priority,
    set_priority,
)
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
PRIORITY_PREFIX = "priority."
PRIORITY_SAVED = "priority"
RANK_NAMES = ("1st (believed first)", "2nd", "3rd")


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
    """Create the profile; show the safety findings when medicines or conditions were named,
    else go to Tonight."""
    try:
        with any_scope(request) as scope:
            profile = save_profile(scope, values)
    except BedsideError as exc:
        return _first_run_page(request, values, errors_of(exc), 422)
    if profile.medications or profile.conditions:
        return see_other("/safety?welcome=1")
    return see_other("/?saved=welcome")


def priority_values(priority: SleepPriorityOut) -> FormValues:
    """The order in use as the rank choices ``priority.0`` (best) to ``priority.7``."""
    return FormValues((f"{PRIORITY_PREFIX}{i}", name) for i, name in enumerate(priority.order))


def rank_rows() -> list[tuple[str, str]]:
    """``(field name, label)`` per rank, best first."""
    return [
        (f"{PRIORITY_PREFIX}{i}", RANK_NAMES[i] if i < len(RANK_NAMES) else f"{i + 1}th")
        for i in range(len(DEVICE_CLASSES))
    ]


def _settings_page(
    request: Request,
    values: FormValues | None,
    errors: dict[str, str],
    status: int = 200,
    saved: str | None = None,
    priority: FormValues | None = None,
    rebuilt: int | None = None,
    data_done: dict[str, int | None] | None = None,
) -> Response:
    """The Settings page: ``values`` as submitted, or the stored profile when None."""
    with page_scope(request) as scope:
        overview = settings_overview(scope, request.app.state.settings, datetime.now(UTC))
    shown = profile_values(overview.profile) if values is None else values
    context = _context(request, shown, errors)
    context.update(
        backup=overview.backup,
        backup_age=age_text(overview.backup.age_hours),
        section="settings",
        title="Settings",
        saved=saved,
        pv=priority or priority_values(overview.priority),
        ranks=rank_rows(),
        device_classes=[(name, DEVICE_CLASS_LABELS[name]) for name in DEVICE_CLASSES],
        rebuilt=rebuilt,
        data_done=data_done or {},
        account=overview.account,
        sharing=overview.sharing,
    )
    return render(request, "settings.html", context, status)


def first_run_page_with(request: Request, errors: dict[str, str], status: int) -> Response:
    """The first-run page with problems beside fields (the restore form lives there too)."""
    return _first_run_page(request, first_run_values(), errors, status)


def settings_page_with(
    request: Request, values: FormValues, errors: dict[str, str], status: int = 200
) -> Response:
    """The Settings page with problems beside fields (used by the Your data forms)."""
    return _settings_page(request, values, errors, status)


@router.get("/settings", name="settings_page")
def settings(
    request: Request,
    saved: str | None = None,
    rebuilt: str | None = None,
    restored: str | None = None,
    deleted: str | None = None,
) -> Response:
    """The profile as a form, the sleep source priority, and your data (exports, restore)."""
    response = _settings_page(
        request,
        None,
        {},
        saved=saved,
        rebuilt=_count(rebuilt),
        data_done={"restored": _count(restored), "deleted": _count(deleted)},
    )
    return response


@router.post("/settings", name="settings_submit")
def settings_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Save the profile, or show the form again with the error beside its field."""
    try:
        with page_scope(request) as scope:
            save_profile(scope, values)
    except BedsideError as exc:
        return _settings_page(request, values, errors_of(exc), 422)
    return see_other("/settings?saved=1")


@router.post("/settings/sleep-priority", name="sleep_priority_submit")
def sleep_priority_submit(
    request: Request, values: FormValues = Depends(submitted_form)
) -> Response:
    """Save the order (blank ranks follow in the default order) or reset it; either way every
    wearable night is rebuilt. A repeated or unknown class is shown beside its rank (422)."""
    chosen = [
        (name, value.strip())
        for name, value in ((n, values.get(n)) for n, _ in rank_rows())
        if value.strip()
    ]
    try:
        with page_scope(request) as scope:
            if values.get("action") == "reset":
                changed = reset_priority(scope)
            else:
                changed = set_priority(scope, [value for _, value in chosen])
    except BedsideError as exc:
        errors = {_rank_field(field, chosen): message for field, message in errors_of(exc).items()}
        return _settings_page(request, None, errors, 422, priority=values)
    return see_other(f"/settings?saved={PRIORITY_SAVED}&rebuilt={changed.nights_rebuilt or 0}")


def age_text(hours: float | None) -> str:
    """How old the newest backup is, in words ('' when there is none)."""
    if hours is None:
        return ""
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        whole = int(hours)
        return f"{whole} hour{'s' if whole != 1 else ''}"
    return f"{int(hours // 24)} days"


def _count(text: str | None) -> int | None:
    """The count a redirect put in the URL (a few ASCII digits); anything else is ignored."""
    if text is None or not (text.isascii() and text.isdigit() and len(text) < 10):
        return None
    return int(text)


def _rank_field(field: str, chosen: list[tuple[str, str]]) -> str:
    """``order.N`` (the Nth class given) → the rank's field; other fields are unchanged."""
    head, _, index = field.partition(".")
    if head == ORDER_FIELD and index.isdigit() and int(index) < len(chosen):
        return chosen[int(index)][0]
    return field
