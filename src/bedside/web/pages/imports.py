"""Import: upload a wearable or app export and see what was added.

The upload is streamed to one private temporary file (:mod:`bedside.web.uploads`, refused past
the ``max_upload_bytes`` setting with 413), imported by
:func:`bedside.services.imports.import_file` and then deleted, whatever happened. Large files
work; the page simply waits for the import to finish (no script needed). A file that cannot be
imported is reported beside the file field (422) and leaves the database as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from bedside.domain.errors import BedsideError, BusyError, InputError
from bedside.services.imports import ImportSummaryOut, import_file, source_names
from bedside.web.forms import FormValues
from bedside.web.pages.common import bedside_of, page_scope
from bedside.web.rendering import render
from bedside.web.security import CSRF_FIELD, CsrfTokens
from bedside.web.uploads import Upload, UploadMalformed, UploadTooLarge, receive_upload

router = APIRouter(include_in_schema=False)
AUTO = "auto"
AUTO_LABEL = "Detect automatically"


def sources() -> list[tuple[str, str]]:
    """The source choices: detect automatically, then each source by name."""
    return [(AUTO, AUTO_LABEL), *((name, name) for name in source_names())]


def import_page(
    request: Request,
    values: FormValues,
    errors: dict[str, str],
    summary: ImportSummaryOut | None = None,
    status: int = 200,
) -> Response:
    """The upload form, with the last import's summary or the problem beside its field."""
    with page_scope(request):
        pass
    context: dict[str, Any] = {
        "section": "import",
        "title": "Import",
        "v": values,
        "errors": errors,
        "sources": sources(),
        "summary": summary,
    }
    return render(request, "import.html", context, status)


@router.get("/import", name="import_page")
def import_form(request: Request) -> Response:
    """The upload form."""
    return import_page(request, FormValues([("source", AUTO)]), {})


@router.post("/import", name="import_submit")
async def import_submit(request: Request) -> Response:
    """Import the uploaded file and show its summary (422 with the problem beside the field)."""
    cap = bedside_of(request).settings.max_upload_bytes
    values = FormValues([("source", AUTO)])
    with tempfile.TemporaryDirectory(prefix="bedside-import-") as folder:
        try:
            upload = await receive_upload(request, Path(folder), cap)
        except UploadTooLarge:
            message = (
                f"the file is larger than the upload limit ({_size(cap)}); import it with "
                "`bedside import SOURCE FILE`, which has no limit"
            )
            return import_page(request, values, {"file": message}, status=413)
        except UploadMalformed:
            problem = {"file": "the upload was interrupted or is not a form; try again"}
            return import_page(request, values, problem, status=400)
        return await _import_upload(request, upload)


async def _import_upload(request: Request, upload: Upload) -> Response:
    expected = request.scope.get("state", {}).get("csrf_token")
    if not CsrfTokens.matches(expected, upload.fields.get(CSRF_FIELD)):
        raise HTTPException(
            403, "This form has expired or came from another site. Reload the page and try again."
        )
    source = upload.fields.get("source") or AUTO
    values = FormValues([("source", source)])
    if upload.path is None or not upload.filename:
        return import_page(request, values, {"file": "choose a file to import"}, status=422)
    if source != AUTO and source not in source_names():
        message = f"choose one of the listed sources, or {AUTO_LABEL.lower()}"
        return import_page(request, values, {"source": message}, status=422)
    try:
        summary = await run_in_threadpool(
            run_import, request, upload, None if source == AUTO else source
        )
    except BusyError:
        raise
    except BedsideError as exc:
        field = getattr(exc, "field", None) if isinstance(exc, InputError) else None
        name = "source" if field == "source" else "file"
        return import_page(request, values, {name: exc.message}, status=422)
    summary.file = upload.filename
    return import_page(request, values, {}, summary)


def run_import(request: Request, upload: Upload, source: str | None) -> ImportSummaryOut:
    """Import the received file in one scope (the caller deletes it afterwards)."""
    assert upload.path is not None
    path = upload.path
    try:
        with page_scope(request) as scope:
            return import_file(scope, source, path)
    except BedsideError as exc:
        # the person knows their file by its own name, not by our temporary copy's path
        shown = upload.filename or path.name
        exc.message = exc.message.replace(str(path), shown).replace(str(path.parent), shown)
        raise


def _size(count: int) -> str:
    """A byte count as people read it (``4 GiB``, ``300 MiB``)."""
    if count >= 1 << 30 and not count % (1 << 30):
        return f"{count >> 30} GiB"
    return f"{count / (1 << 20):,.0f} MiB"
