"""Import: upload a wearable or app export and see what was added.

The upload is written to a temporary file, imported in one transaction by
:func:`bedside.services.imports.import_file` and then deleted, whatever happened. Large files
work; the page simply waits for the import to finish (no script needed). A file that cannot be
imported is reported beside the file field (422) and leaves the database as it was.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from bedside.domain.errors import BedsideError, InputError
from bedside.importers.registry import SOURCE_NAMES
from bedside.services.imports import ImportSummary, import_file
from bedside.web.forms import FormValues
from bedside.web.pages.common import page_scope
from bedside.web.rendering import render
from bedside.web.security import CSRF_FIELD, CsrfTokens

router = APIRouter(include_in_schema=False)
AUTO = "auto"
SOURCES = [(AUTO, "Detect automatically"), *((name, name) for name in SOURCE_NAMES)]
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
CHUNK = 1024 * 1024


def import_page(
    request: Request,
    values: FormValues,
    errors: dict[str, str],
    summary: ImportSummary | None = None,
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
        "sources": SOURCES,
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
    form = await request.form(max_files=1, max_fields=10)
    given = form.get(CSRF_FIELD)
    expected = request.scope.get("state", {}).get("csrf_token")
    if not CsrfTokens.matches(expected, given if isinstance(given, str) else None):
        raise HTTPException(
            403, "This form has expired or came from another site. Reload the page and try again."
        )
    chosen = form.get("source")
    source = chosen if isinstance(chosen, str) and chosen else AUTO
    values = FormValues([("source", source)])
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return import_page(request, values, {"file": "choose a file to import"}, status=422)
    if source != AUTO and source not in SOURCE_NAMES:
        message = f"choose one of the listed sources, or {SOURCES[0][1].lower()}"
        return import_page(request, values, {"source": message}, status=422)
    try:
        summary = await run_in_threadpool(
            run_import, request, upload, None if source == AUTO else source
        )
    except BedsideError as exc:
        field = getattr(exc, "field", None) if isinstance(exc, InputError) else None
        name = "source" if field == "source" else "file"
        return import_page(request, values, {name: exc.message}, status=422)
    finally:
        await upload.close()
    summary.file = upload.filename or summary.file
    return import_page(request, values, {}, summary)


def run_import(request: Request, upload: UploadFile, source: str | None) -> ImportSummary:
    """Copy the upload to a temporary file, import it in one scope, delete the file."""
    found = _SUFFIX.search(upload.filename or "")
    with tempfile.TemporaryDirectory(prefix="bedside-import-") as folder:
        path = Path(folder) / f"upload{found.group(0).lower() if found else ''}"
        with path.open("wb") as out:
            upload.file.seek(0)
            shutil.copyfileobj(upload.file, out, CHUNK)
        try:
            with page_scope(request) as scope:
                return import_file(scope, source, path)
        except BedsideError as exc:
            # the person knows their file by its own name, not by our temporary copy's path
            shown = Path(upload.filename or path.name).name
            exc.message = exc.message.replace(str(path), shown).replace(folder, shown)
            raise
