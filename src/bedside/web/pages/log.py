"""Log: quick forms for a dose, pain, soreness, a workout, alcohol, caffeine or a medication."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services.dose_checks import HeldDose, submit_dose
from bedside.services.dose_offers import DoseFormOut, dose_form
from bedside.services.safety_schemas import FindingOut
from bedside.web.forms import FormValues, errors_of, submitted_form
from bedside.web.pages.common import after_saving, local_now, page_scope, see_other
from bedside.web.pages.entry_forms import FORMS, LOG_KINDS, EntryForm, diary_hints, repeat_dose
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


def entry_form(kind: str, allowed: tuple[str, ...] = tuple(FORMS)) -> EntryForm:
    """The form for ``kind`` (404 for anything else)."""
    if kind not in allowed:
        raise HTTPException(404, "There is no such form.")
    return FORMS[kind]


def entry_form_page(
    request: Request,
    form: EntryForm,
    values: FormValues,
    errors: dict[str, str],
    *,
    action: str,
    editing: bool = False,
    status: int = 200,
    findings: Sequence[FindingOut] = (),
    unfilled: Sequence[date] = (),
    hints: dict[str, str] | None = None,
) -> Response:
    """Render a logging form with its values and any errors beside their fields.

    A page that has read the new diary's ``hints`` in its own scope passes them in, so the
    form needs no second transaction.
    """
    choices = DoseFormOut(products=[])
    if hints is None or form.kind != "diary" or editing:
        hints = {}
        with page_scope(request) as scope:
            if form.kind == "dose":
                choices = dose_form(scope, offer_repeat=not editing)
            elif form.kind == "diary" and not editing:
                hints = diary_hints(scope)
    cancel = f"/diary/{values.get('night')}" if editing and form.kind == "diary" else "/history"
    products, repeat = choices.products, choices.repeat
    verb = "Edit" if editing else "Log"
    title = form.title if form.kind == "diary" else f"{verb} {form.title.lower()}"
    if editing and form.kind == "diary":
        title = "Edit the morning diary"
    return render(
        request,
        form.template,
        {
            "section": "diary" if form.kind == "diary" else ("history" if editing else "log"),
            "title": title,
            "form": form,
            "v": values,
            "errors": errors,
            "action": action,
            "editing": editing,
            "product_options": [(str(p.id), p.name) for p in products],
            "batch_options": [
                (str(b.id), f"{p.name}: lot {b.lot}") for p in products for b in p.batches
            ],
            "cancel": cancel,
            "findings": [f.model_dump(mode="json") for f in findings],
            "repeat": repeat,
            "repeat_values": FormValues.of(repeat_dose(repeat.dose)) if repeat else None,
            "hints": hints,
            "unfilled": list(unfilled),
        },
        status,
    )


@router.get("/log", name="log_page")
def log_hub(request: Request) -> Response:
    """The list of quick forms."""
    with page_scope(request):
        pass
    return render(
        request, "log.html", {"section": "log", "title": "Log", "kinds": LOG_KINDS, "forms": FORMS}
    )


@router.get("/log/{kind}", name="log_form_page")
def log_form(request: Request, kind: str) -> Response:
    """A new-entry form with sensible defaults (now; the last dose's product and amount)."""
    form = entry_form(kind, LOG_KINDS)
    with page_scope(request) as scope:
        values = form.defaults(scope)
    return entry_form_page(request, form, values, {}, action=f"/log/{kind}")


@router.post("/log/{kind}", name="log_form_submit")
def log_submit(
    request: Request, kind: str, values: FormValues = Depends(submitted_form)
) -> Response:
    """Save a new entry, or show the form again with the error beside its field (422)."""
    form = entry_form(kind, LOG_KINDS)
    if kind == "dose":
        return dose_submit(request, form, values)
    try:
        with page_scope(request) as scope:
            saved = form.add(scope, form.to_data(values))
            first = saved[0] if isinstance(saved, list) else saved
            night, tonight = first.night, scope.tonight()
    except BedsideError as exc:
        return entry_form_page(
            request, form, values, errors_of(exc), action=f"/log/{kind}", status=422
        )
    return see_other(after_saving(kind, night, tonight))


ACKNOWLEDGE = "acknowledge"


def dose_submit(request: Request, form: EntryForm, values: FormValues) -> Response:
    """Check the dose first; findings that ask to be read need the tick before saving (409).

    Nothing is refused for good: once the person ticks that they read the findings, the dose
    is saved and the acknowledgement recorded with it. Milder findings never hold it up.
    """
    try:
        with page_scope(request) as scope:
            result = submit_dose(
                scope, form.to_data(values), acknowledged=ACKNOWLEDGE in values, context="web"
            )
            if isinstance(result, HeldDose) and not values.get("time").strip():
                values = FormValues([*_items(values), ("time", local_now(scope))])
            tonight = scope.tonight()
    except BedsideError as exc:
        return entry_form_page(
            request, form, values, errors_of(exc), action="/log/dose", status=422
        )
    if isinstance(result, HeldDose):
        return entry_form_page(
            request, form, values, {}, action="/log/dose", status=409, findings=result.findings
        )
    return see_other(after_saving("dose", result.dose.night, tonight))


def _items(values: FormValues) -> list[tuple[str, str]]:
    return [(name, value) for name, value in values.with_prefix("") if name != "time"]
