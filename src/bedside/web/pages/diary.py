"""The morning diary: one short Consensus Sleep Diary form, then the night's metrics."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError, InputError, NotFoundError
from bedside.domain.timekeeping import parse_night
from bedside.services import diary
from bedside.services.diary_due import diary_due
from bedside.web.forms import FormValues, errors_of, submitted_form
from bedside.web.pages.common import page_scope, see_other
from bedside.web.pages.entry_forms import FORMS, diary_defaults, diary_hints
from bedside.web.pages.log import entry_form_page
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
FORM = FORMS["diary"]


@router.get("/diary", name="diary_form_page")
def diary_form(request: Request, night: str | None = None) -> Response:
    """The form for the most recent night without a diary (or ``?night=YYYY-MM-DD``).

    The other nights of the last week without a diary are listed under the heading; when
    every recent night has one, the page of the last night that ended is shown.
    """
    chosen = _night_or_none(night)
    unfilled: list[date] = []
    with page_scope(request) as scope:
        if chosen is None:
            due = diary_due(scope)
            if due.night is None:
                return see_other(f"/diary/{due.last_ended.isoformat()}")
            chosen, unfilled = due.night, due.other_unfilled
        values = diary_defaults(scope, chosen)
        try:
            existing = diary.get_entry(scope, date.fromisoformat(values.get("night")))
        except NotFoundError:
            existing = None
        hints = diary_hints(scope) if existing is None else {}
    if existing is not None:
        return see_other(f"/diary/{existing.night.isoformat()}")
    return entry_form_page(
        request, FORM, values, {}, action="/diary", unfilled=unfilled, hints=hints
    )


def _night_or_none(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_night(text)
    except InputError:
        return None


@router.post("/diary", name="diary_form_submit")
def diary_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Save the diary and show the night's metrics, or show the form again with the error."""
    try:
        with page_scope(request) as scope:
            entry = diary.add_entry(scope, FORM.to_data(values))
    except BedsideError as exc:
        return entry_form_page(request, FORM, values, errors_of(exc), action="/diary", status=422)
    return see_other(f"/diary/{entry.night.isoformat()}?saved=1")


@router.get("/diary/{night}", name="diary_night_page")
def diary_night(request: Request, night: str, saved: str | None = None) -> Response:
    """A night's diary: answers and derived metrics, with edit and delete."""
    try:
        when = parse_night(night)
    except InputError:
        raise HTTPException(404, "There is no such night.") from None
    with page_scope(request) as scope:
        try:
            entry = diary.get_entry(scope, when)
        except NotFoundError:
            entry = None
    return render(
        request,
        "diary_night.html",
        {
            "section": "diary",
            "title": "Sleep diary",
            "night": when,
            "entry": entry,
            "saved": bool(saved),
        },
    )
