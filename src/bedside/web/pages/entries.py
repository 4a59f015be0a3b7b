"""Edit and delete any logged entry (dose, diary, pain, soreness, workout, intake)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.web.forms import FormValues, errors_of, submitted_form
from bedside.web.pages.common import history_url, page_scope, see_other
from bedside.web.pages.log import entry_form, entry_form_page
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


def _after(kind: str, night: date, tonight: date) -> str:
    if kind == "diary":
        return f"/diary/{night.isoformat()}"
    return history_url(night, tonight)


@router.get("/entries/{kind}/{entry_id}/edit", name="edit_entry_page")
def edit_form(request: Request, kind: str, entry_id: int) -> Response:
    """The entry's form, filled in with what is stored."""
    form = entry_form(kind)
    with page_scope(request) as scope:
        values = form.to_values(form.get(scope, entry_id))
    return entry_form_page(
        request, form, values, {}, action=f"/entries/{kind}/{entry_id}/edit", editing=True
    )


@router.post("/entries/{kind}/{entry_id}/edit", name="edit_entry_submit")
def edit_submit(
    request: Request, kind: str, entry_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Save the changes, or show the form again with the error beside its field (422)."""
    form = entry_form(kind)
    parse = form.edit_to_data or form.to_data
    with page_scope(request) as scope:
        form.get(scope, entry_id)  # a 404 page when the entry is gone
    try:
        with page_scope(request) as scope:
            saved = form.update(scope, entry_id, parse(values))
            night, tonight = saved.night, scope.tonight()
    except BedsideError as exc:
        return entry_form_page(
            request,
            form,
            values,
            errors_of(exc),
            action=f"/entries/{kind}/{entry_id}/edit",
            editing=True,
            status=422,
        )
    return see_other(_after(kind, night, tonight))


@router.get("/entries/{kind}/{entry_id}/delete", name="delete_entry_page")
def delete_confirm(request: Request, kind: str, entry_id: int) -> Response:
    """Ask before deleting."""
    form = entry_form(kind)
    with page_scope(request) as scope:
        entry = form.get(scope, entry_id)
        tonight = scope.tonight()
    return render(
        request,
        "confirm_delete.html",
        {
            "section": "history",
            "title": f"Delete this {form.title.lower()} entry?",
            "what": form.describe(entry),
            "action": f"/entries/{kind}/{entry_id}/delete",
            "cancel": _after(kind, entry.night, tonight),
        },
    )


@router.post("/entries/{kind}/{entry_id}/delete", name="delete_entry_submit")
def delete_submit(
    request: Request, kind: str, entry_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Delete the entry and go back to its night."""
    form = entry_form(kind)
    with page_scope(request) as scope:
        night = form.get(scope, entry_id).night
        form.delete(scope, entry_id)
        tonight = scope.tonight()
    return see_other(history_url(night, tonight))
