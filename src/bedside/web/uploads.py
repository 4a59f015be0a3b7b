"""Receiving an uploaded file: streamed to ONE private temporary file, with a size cap.

Starlette's own form parser spools a file part into an anonymous temporary file, which the
import then had to copy to a named one: two copies of a 2 GB export on disk. Here the body is
parsed as it arrives (``python-multipart``) and the file part is written straight to
``folder/upload.EXT`` (mode 0600, in a 0700 temporary folder); the small text fields are kept
in memory up to :data:`FIELD_LIMIT` bytes. A body larger than the cap is refused with
:class:`UploadTooLarge` before anything is imported, from its ``Content-Length`` when the
client sends one, or as soon as that many bytes have arrived.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

#: Bytes of all text fields together (CSRF token, source name, ...).
FIELD_LIMIT = 64 * 1024
#: What multipart framing may add to the file itself (boundaries, part headers, fields).
OVERHEAD = FIELD_LIMIT + 16 * 1024
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


class UploadTooLarge(Exception):  # noqa: N818 - reads as a sentence where it is caught
    """The request body is larger than the upload cap."""


class UploadMalformed(Exception):  # noqa: N818
    """The body is not a readable multipart form."""


@dataclass
class Upload:
    """What arrived: the text fields, and the file (its name as sent, and where it is now)."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    path: Path | None = None
    size: int = 0


class _Receiver:
    """python-multipart callbacks: one file part to disk, text parts to memory."""

    def __init__(self, folder: Path, upload: Upload) -> None:
        self.folder = folder
        self.upload = upload
        self._header_name = b""
        self._headers: dict[bytes, bytes] = {}
        self._name: str | None = None
        self._value = bytearray()
        self._file: IO[bytes] | None = None
        self._text_bytes = 0

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        name = self._header_name.lower()
        self._headers[name] = self._headers.get(name, b"") + data[start:end]

    def header_end(self) -> None:
        self._header_name = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._headers = {}
        if filename is not None and self._name == "file" and self.upload.path is None:
            shown = Path(filename.decode("utf-8", "replace").replace("\\", "/")).name
            found = _SUFFIX.search(shown)
            path = self.folder / f"upload{found.group(0).lower() if found else ''}"
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self._file = os.fdopen(descriptor, "wb")
            self.upload.filename, self.upload.path = shown, path

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.write(data[start:end])
            self.upload.size += end - start
            return
        self._text_bytes += end - start
        if self._text_bytes > FIELD_LIMIT:
            raise UploadTooLarge
        self._value += data[start:end]

    def part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        elif self._name and self._name not in self.upload.fields:
            self.upload.fields[self._name] = self._value.decode("utf-8", "replace")
        self._name, self._value = None, bytearray()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def receive_upload(request: Request, folder: Path, cap: int) -> Upload:
    """Parse the form of ``request``, writing its ``file`` part to ``folder``.

    Raises :class:`UploadTooLarge` past ``cap`` bytes and :class:`UploadMalformed` for a
    body that is not a form.
    """
    limit = cap + OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadTooLarge
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    upload = Upload()
    if content_type != b"multipart/form-data":
        return await _small_form(request, upload)
    boundary = options.get(b"boundary")
    if not boundary:
        raise UploadMalformed
    receiver = _Receiver(folder, upload)
    callbacks = {
        "on_header_field": receiver.header_field,
        "on_header_value": receiver.header_value,
        "on_header_end": receiver.header_end,
        "on_headers_finished": receiver.headers_finished,
        "on_part_data": receiver.part_data,
        "on_part_end": receiver.part_end,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise UploadTooLarge
            parser.write(chunk)
        parser.finalize()
    except (UploadTooLarge, OSError):
        raise
    except Exception:
        raise UploadMalformed from None
    finally:
        receiver.close()
    return upload


async def _small_form(request: Request, upload: Upload) -> Upload:
    """A form without a file (URL-encoded): read it whole, up to :data:`FIELD_LIMIT`."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FIELD_LIMIT:
            raise UploadTooLarge
    from urllib.parse import parse_qsl

    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        upload.fields.setdefault(name, value)
    return upload
